/**
 * Review decisions in the words of the buttons that make them, for every place that shows a decision
 * afterwards (earlier rounds, the image's history), so a reviewer reads back what they clicked.
 */
export const DECISION_LABELS: Record<string, string> = {
  accept: "Accepted",
  reject: "Returned to annotator",
  fix_and_accept: "Fixed and accepted",
};

export function decisionLabel(decision: string | null): string {
  return decision === null ? "Being reviewed" : (DECISION_LABELS[decision] ?? decision);
}

/** Audit actions of the labelling work, as the image page's history shows them. */
const ACTION_LABELS: Record<string, string> = {
  "annotation.claimed": "Claimed for labelling",
  "annotation.submitted": "Submitted labels",
  "annotation.skipped": "Skipped",
  "review.claimed": "Claimed for review",
  "review.accept": DECISION_LABELS.accept!,
  "review.reject": DECISION_LABELS.reject!,
  "review.fix_and_accept": DECISION_LABELS.fix_and_accept!,
  "review.released": "Passed over in review (Next)",
  "issue.replied": "Replied to a review issue",
  "issue.resolved": "Resolved a review issue",
  "issue.reopened": "Reopened a review issue",
  "images.assigned": "Assigned",
};

export function auditActionLabel(action: string): string {
  return ACTION_LABELS[action] ?? action;
}
