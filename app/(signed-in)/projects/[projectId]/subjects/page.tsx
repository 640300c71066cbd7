import Link from "next/link";
import { projectPage } from "@/lib/server/http/page";
import { listSubjects } from "@/lib/server/subjects/subjects";
import { consentDecisions } from "@/lib/server/consent/consent-facts";
import { REFUSAL_REASONS } from "@/lib/consent/rules";

export const metadata = { title: "Subjects" };

export default projectPage<{ projectId: string }, { q?: string }>(
  { permission: "subjects.view" },
  async function SubjectsPage({ params: { projectId }, searchParams: { q } }) {
    const subjects = await listSubjects(projectId, q);
    const decisions = await consentDecisions(
      subjects.map((s) => s.id),
      "annotation",
    );
    return (
      <div className="stack">
        <div className="row" style={{ justifyContent: "space-between" }}>
          <form className="row" role="search" action="">
            <input
              name="q"
              defaultValue={q ?? ""}
              placeholder="Search code or notes"
              aria-label="Search subjects"
              data-testid="subject-search"
            />
            <button type="submit">Search</button>
          </form>
          <Link className="button primary" href={`/projects/${projectId}/subjects/new`} data-testid="subject-new">
            New subject
          </Link>
        </div>
        {subjects.length === 0 ? (
          <div className="empty" data-testid="subjects-empty">
            {q
              ? `No subject matches “${q}”.`
              : "No subjects yet. Create one for each photographed person, then record their consent before uploading their images."}
          </div>
        ) : (
          <table data-testid="subject-table">
            <thead>
              <tr>
                <th>Code</th>
                <th>Consent for annotation</th>
                <th>Images</th>
                <th>Age band</th>
                <th>Monk</th>
                <th>Dominant hand</th>
              </tr>
            </thead>
            <tbody>
              {subjects.map((subject) => {
                const decision = decisions.get(subject.id)!;
                return (
                  <tr key={subject.id} data-testid="subject-row" data-code={subject.code}>
                    <td>
                      <Link href={`/projects/${projectId}/subjects/${subject.id}`}>{subject.code}</Link>
                    </td>
                    <td className={decision.allowed ? "status-ok" : "status-bad"}>
                      {decision.allowed ? "active" : REFUSAL_REASONS[decision.reason]}
                    </td>
                    <td>{subject._count.images}</td>
                    <td>{subject.ageBand ?? "–"}</td>
                    <td>{subject.monkSkinTone ?? "–"}</td>
                    <td>{subject.dominantHand ?? "–"}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
      </div>
    );
  },
);
