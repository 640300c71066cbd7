import Link from "next/link";
import { AdjudicateButton } from "@/components/review/adjudicate-button";
import { projectPage } from "@/lib/server/http/page";
import { getProjectOrThrow } from "@/lib/server/projects/project-settings";
import { AGREEMENT_WINDOW, imageAgreements } from "@/lib/server/qc/agreement";

export const metadata = { title: "Adjudication" };

export default projectPage(
  { permission: "qc.review" },
  async function AdjudicationPage({ params: { projectId }, access: { user } }) {
    const [project, agreements] = await Promise.all([getProjectOrThrow(projectId), imageAgreements(projectId)]);
    const queue = agreements.filter((row) => row.agreement < project.agreementThreshold);
    return (
      <div className="stack">
        <Link href={`/projects/${projectId}/review`}>← Review</Link>
        <p className="muted">
          Images labelled by two people whose labels agree less than {project.agreementThreshold.toFixed(2)} (hands
          matched by OKS).{" "}
          {agreements.length < AGREEMENT_WINDOW
            ? `${agreements.length} doubly-labelled image(s) in all.`
            : `The newest ${AGREEMENT_WINDOW} doubly-labelled images are compared.`}
        </p>
        {queue.length === 0 ? (
          <div className="empty" data-testid="adjudication-empty">
            No disagreement to settle.
          </div>
        ) : (
          <table data-testid="adjudication-table">
            <thead>
              <tr>
                <th>Image</th>
                <th>Agreement</th>
                <th>Labellings</th>
              </tr>
            </thead>
            <tbody>
              {queue.map((row) => (
                <tr key={row.imageId} data-testid="adjudication-row">
                  <td>{row.imageId.slice(-8)}</td>
                  <td className="status-bad">{row.agreement.toFixed(2)}</td>
                  <td className="stack">
                    {row.annotations.map((a) => (
                      <span key={a.id} className="row">
                        {a.annotator} ({a.status})
                        {a.status === "submitted" && a.annotatorId !== user.id && (
                          <AdjudicateButton projectId={projectId} annotationId={a.id} label="Review" />
                        )}
                      </span>
                    ))}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
    );
  },
);
