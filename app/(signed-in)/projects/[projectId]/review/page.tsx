import { StartReviewing } from "@/components/review/start-reviewing";
import { projectPage } from "@/lib/server/http/page";
import { getReviewHomeCounts } from "@/lib/server/review/review-home-counts";

export const metadata = { title: "Review" };

export default projectPage<{ projectId: string }, { finished?: string }>(
  { permission: "qc.review" },
  async function ReviewHomePage({ params: { projectId }, searchParams: { finished }, access: { user } }) {
    const { waiting, mine, decided } = await getReviewHomeCounts(projectId, user.id);
    return (
      <div className="stack">
        {finished && (
          <div className="notice" role="status">
            Decision saved. Nothing else waits for you right now.
          </div>
        )}
        <p>
          <strong>{waiting}</strong> annotation(s) wait for review
          {mine ? ` (${mine} of them are yours and go to other reviewers)` : ""}. You decided {decided} so far.
        </p>
        <StartReviewing projectId={projectId} />
        <p>
          <a href={`/projects/${projectId}/review/adjudication`} data-testid="adjudication-link">
            Adjudication queue
          </a>
          : images whose two labellings disagree.
        </p>
      </div>
    );
  },
);
