/**
 * Which coverage count a hand belongs to, from its annotation's status. Stored on every Hand row
 * (`coverageStage`) so coverage is one indexed GROUP BY; gold runs measure annotators and, like in
 * exports, never count as data.
 */
export const COVERAGE_STAGES = ["accepted", "submitted", "gold_run", "withdrawn", "other"] as const;
export type TCoverageStage = (typeof COVERAGE_STAGES)[number];

/** `imageState`: hands of images taken out by a consent withdrawal (quarantined, purged) never count. */
export function coverageStage(
  status: string,
  goldScore: number | null | undefined,
  imageState = "active",
): TCoverageStage {
  if (imageState !== "active") return "withdrawn";
  if (goldScore != null) return "gold_run";
  if (status === "accepted") return "accepted";
  if (status === "submitted") return "submitted";
  return "other";
}

/** "accepted": reviewed and accepted; "labelled": every hand handed in (accepted or waiting for review). */
export const COVERAGE_SCOPES = {
  accepted: ["accepted"],
  labelled: ["accepted", "submitted"],
} as const satisfies Record<string, readonly TCoverageStage[]>;
export type TCoverageScope = keyof typeof COVERAGE_SCOPES;
