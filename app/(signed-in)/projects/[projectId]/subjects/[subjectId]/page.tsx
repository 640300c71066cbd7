import Link from "next/link";
import { ConsentRecordForm } from "@/components/consent/consent-record-form";
import { WithdrawButton } from "@/components/consent/withdraw-button";
import { SubjectForm } from "@/components/subjects/subject-form";
import { CONSENT_SCOPES } from "@/lib/consent/schema";
import { guardPage, projectPage } from "@/lib/server/http/page";
import { getSubjectDetail } from "@/lib/server/subjects/subject-detail";
import { listConsentTexts } from "@/lib/server/consent/consent-texts";
import { getProjectOrThrow } from "@/lib/server/projects/project-settings";

export const metadata = { title: "Subject" };

const day = (date: Date | null) => (date ? date.toISOString().slice(0, 10) : "–");

export default projectPage<{ projectId: string; subjectId: string }>(
  { permission: "subjects.view" },
  async function SubjectPage({ params: { projectId, subjectId } }) {
    const detail = await guardPage(getSubjectDetail(projectId, subjectId));
    const [texts, project] = await Promise.all([listConsentTexts(projectId), getProjectOrThrow(projectId)]);
    const { subject, records, purposes } = detail;
    const hasActive = records.some((record) => !record.withdrawnAt);
    return (
      <div className="stack">
        <div className="row" style={{ justifyContent: "space-between" }}>
          <h2 style={{ margin: 0 }} data-testid="subject-code">
            {subject.code}
          </h2>
          <Link href={`/projects/${projectId}/subjects`}>All subjects</Link>
        </div>
        <div className="card row" data-testid="subject-purposes">
          {CONSENT_SCOPES.map((scope) => (
            <span
              key={scope}
              className={purposes[scope].allowed ? "status-ok" : "status-bad"}
              data-testid={`purpose-${scope}`}
              data-allowed={purposes[scope].allowed}
            >
              {scope}: {purposes[scope].allowed ? "allowed" : purposes[scope].message}
            </span>
          ))}
          <span className="muted">
            Images:{" "}
            {Object.entries(detail.images)
              .map(([state, count]) => `${count} ${state}`)
              .join(", ") || "none"}
          </span>
        </div>

        <h2>Consent history</h2>
        {records.length === 0 ? (
          <div className="empty" data-testid="consent-empty">
            No consent recorded. Images of {subject.code} cannot be uploaded or labelled until consent for annotation is
            recorded.
          </div>
        ) : (
          <table data-testid="consent-history">
            <thead>
              <tr>
                <th>Signed</th>
                <th>Text</th>
                <th>Scopes</th>
                <th>Biometric notice</th>
                <th>Keep until</th>
                <th>State</th>
                <th>Form</th>
              </tr>
            </thead>
            <tbody>
              {records.map((record) => (
                <tr key={record.id} data-testid="consent-row">
                  <td>
                    {day(record.signedAt)}
                    <div className="muted">
                      {record.jurisdiction} · by {record.collectedBy?.name ?? "–"}
                    </div>
                  </td>
                  <td>{record.consentText.version}</td>
                  <td>{record.scopes.join(", ")}</td>
                  <td>{record.biometricNoticeAcknowledged ? "acknowledged" : "not acknowledged"}</td>
                  <td>{day(record.retentionUntil)}</td>
                  <td data-testid="consent-state">
                    {record.withdrawnAt
                      ? `withdrawn ${day(record.withdrawnAt)} (${record.withdrawalChannel}: ${record.withdrawalReason})`
                      : record.superseded
                        ? "corrected"
                        : record.id === detail.recordInForceId
                          ? "in force"
                          : "earlier"}
                    {record.isMinor && (
                      <div className="muted">
                        minor; guardian {record.guardianName} ({record.guardianRelation})
                      </div>
                    )}
                  </td>
                  <td>
                    {record.hasSignedForm ? (
                      <a
                        href={`/api/projects/${projectId}/consent-records/${record.id}/form`}
                        target="_blank"
                        rel="noreferrer"
                      >
                        view
                      </a>
                    ) : (
                      "–"
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {/* Rendered also without active consent: it keeps showing the outcome of a withdrawal just made. */}
        <WithdrawButton
          projectId={projectId}
          subjectId={subjectId}
          code={subject.code}
          policy={project.withdrawalPolicy}
          canWithdraw={hasActive}
        />
        {detail.exports.length > 0 && (
          <div className="card" data-testid="subject-exports">
            <strong>Exports that contained {subject.code}'s images</strong> (their recipients must be told of a
            withdrawal):
            <ul>
              {detail.exports.map((e) => (
                <li key={e.id} data-testid="subject-export">
                  {e.id} · {day(e.createdAt)}
                  {e.requestedBy ? ` · ${e.requestedBy}` : ""}
                  {e.revokedAt && <span className="badge status-bad">revoked {day(e.revokedAt)}</span>}
                  <div className="muted" data-testid="subject-export-recipients">
                    {e.downloads.length === 0
                      ? "never downloaded"
                      : `downloaded by ${e.downloads.map((d) => `${d.name ?? "a deleted user"}${d.email ? ` <${d.email}>` : ""} on ${day(d.at)}`).join("; ")}`}
                  </div>
                </li>
              ))}
            </ul>
          </div>
        )}

        <h2>{records.length ? "Record new or corrected consent" : "Record consent"}</h2>
        <ConsentRecordForm
          projectId={projectId}
          subjectId={subjectId}
          texts={texts}
          correcting={detail.recordInForceId}
        />

        <h2>Demographics</h2>
        <SubjectForm projectId={projectId} subject={subject} />
      </div>
    );
  },
);
