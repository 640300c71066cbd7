import Link from "next/link";
import { StartAnnotating } from "@/components/annotate/start-annotating";
import { projectPage } from "@/lib/server/http/page";
import { listMyWork, type TWorkItem } from "@/lib/server/annotations/list-my-work";
import { dueForPerson } from "@/lib/server/assignments/assign-images";

export const metadata = { title: "Annotate" };

function WorkList({
  title,
  items,
  empty,
  testId,
}: {
  title: string;
  items: (TWorkItem & { reviewComment?: string | null })[];
  empty: string;
  testId: string;
}) {
  return (
    <section>
      <h2>
        {title} <span className="muted">({items.length})</span>
      </h2>
      {items.length === 0 ? (
        <p className="muted">{empty}</p>
      ) : (
        <ul className="stack" style={{ listStyle: "none", padding: 0 }} data-testid={testId}>
          {items.map((item) => (
            <li key={item.annotationId} className="row">
              <Link href={`/annotate/${item.annotationId}`}>Image {item.imageId.slice(-8)}</Link>
              <span className="muted">{item.updatedAt.toLocaleString()}</span>
              {item.reviewComment && <span className="status-warn">“{item.reviewComment}”</span>}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

export default projectPage<{ projectId: string }, { finished?: string }>(
  { permission: "annotations.write" },
  async function AnnotateHomePage({ params: { projectId }, searchParams: { finished }, access: { user } }) {
    const [work, assigned] = await Promise.all([listMyWork(projectId, user.id), dueForPerson(projectId, user.id)]);
    return (
      <div className="stack">
        {finished && (
          <div className="notice" role="status">
            Submitted. No further image is waiting for you right now.
          </div>
        )}
        {assigned > 0 && (
          <p data-testid="assigned-to-me">
            <strong>{assigned}</strong> image{assigned === 1 ? "" : "s"} assigned to you: they come first.
          </p>
        )}
        <StartAnnotating projectId={projectId} />
        <p className="muted">
          Press <kbd className="badge">?</kbd> in the workspace for every shortcut. A full hand: N, then 21 clicks.
        </p>
        <WorkList title="Returned to you" items={work.returned} empty="Nothing was returned." testId="work-returned" />
        <WorkList title="Drafts" items={work.drafts} empty="No drafts." testId="work-drafts" />
        <WorkList title="Submitted" items={work.submitted} empty="Nothing submitted yet." testId="work-submitted" />
      </div>
    );
  },
);
