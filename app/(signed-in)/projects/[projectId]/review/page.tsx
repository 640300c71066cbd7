import { StartReviewing } from "@/components/review/start-reviewing";
import { requireProjectPermission } from "@/lib/server/auth/authorize";
import { guardPage } from "@/lib/server/http/page";
import { reviewSummary } from "@/lib/server/review/review-summary";

export const metadata = { title: "Review" };

export default async function ReviewHomePage({ params, searchParams }: { params: Promise<{ projectId: string }>; searchParams: Promise<{ finished?: string }> }) {
  const { projectId } = await params;
  const { finished } = await searchParams;
  const { user } = await guardPage(requireProjectPermission(projectId, "qc.review"));
  const { waiting, mine, decided } = await reviewSummary(projectId, user.id);
  return (
    <div className="stack">
      {finished && <div className="notice" role="status">Decision saved. Nothing else waits for you right now.</div>}
      <p><strong>{waiting}</strong> annotation(s) wait for review{mine ? ` (${mine} of them are yours and go to other reviewers)` : ""}. You decided {decided} so far.</p>
      <StartReviewing projectId={projectId} />
      <p><a href={`/projects/${projectId}/review/adjudication`} data-testid="adjudication-link">Adjudication queue</a>: images whose two labellings disagree.</p>
    </div>
  );
}
