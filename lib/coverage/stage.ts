/**
 * Which coverage count a hand belongs to, from its annotation's status. Stored on every Hand row
 * (`coverageStage`) so coverage is one indexed GROUP BY; gold runs measure annotators and, like in
 * exports, never count as data.
 */
export const COVERAGE_STAGES = ["accepted", "submitted", "second_labelling", "gold_run", "withdrawn", "other"] as const;
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

export type TLabelling = { id: string; status: string; goldScore: number | null; isGold: boolean; updatedAt: Date };

/**
 * The coverage stage of every labelling of one image. An image counts once, like in exports
 * (lib/server/export/select-export-items.ts): of its accepted labellings the gold one, else the most
 * recently updated; with none accepted, the most recently submitted. Its other handed-in labellings
 * (double annotation, a second annotator's copy) are "second_labelling" and never count.
 */
export function imageCoverageStages(
  labellings: readonly TLabelling[],
  imageState = "active",
): Map<string, TCoverageStage> {
  const stages = new Map(labellings.map((l) => [l.id, coverageStage(l.status, l.goldScore, imageState)]));
  const rank = (l: TLabelling) => (stages.get(l.id) === "accepted" ? 2 : stages.get(l.id) === "submitted" ? 1 : 0);
  const counted = labellings
    .filter((l) => rank(l) > 0)
    .sort((a, b) => rank(b) - rank(a) || Number(b.isGold) - Number(a.isGold) || +b.updatedAt - +a.updatedAt)[0];
  for (const l of labellings) if (rank(l) > 0 && l.id !== counted?.id) stages.set(l.id, "second_labelling");
  return stages;
}
