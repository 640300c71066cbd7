/**
 * The shot list: what to photograph next, from the targets still short of hands (largest gaps first),
 * as rows for the page and a CSV for the next capture session. Counts of demographic cells leave the
 * app only through small-cell protection.
 */
import type { TProgressLine } from "./targets";
import { protectedCount } from "./small-cells";

export type TShot = {
  want: number;
  priority: number;
  target: string;
  photograph: string;
  handsNeeded: number;
  handsNow: number;
  subjects: number | null;
  demographic: boolean;
  kind: TProgressLine["kind"];
};

/** Open "at least" targets only ("at most" targets are met by collecting other hands). */
export function shotList(lines: readonly TProgressLine[]): TShot[] {
  return lines
    .filter((line) => !line.met && line.kind !== "max_share")
    .sort((a, b) => b.gap - a.gap || a.cellLabel.localeCompare(b.cellLabel))
    .map((line, i) => ({
      want: line.want,
      priority: i + 1,
      target: line.targetName,
      photograph: line.cellLabel,
      handsNeeded: line.gap,
      handsNow: line.hands,
      subjects: line.subjects,
      demographic: line.demographic,
      kind: line.kind,
    }));
}

const csvCell = (value: string | number) => {
  const text = String(value);
  // Quote always; neutralise spreadsheet formulas (a cell starting with = + - @ is run by Excel).
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return `"${safe.replaceAll('"', '""')}"`;
};

export function shotListCsv(shots: readonly TShot[]): string {
  const header = ["priority", "target", "photograph", "hands_needed", "hands_now"];
  const rows = shots.map((shot) => {
    const now = shot.demographic ? protectedCount(shot.handsNow, shot.subjects) : String(shot.handsNow);
    // With the current count hidden (few people, however many hands), the exact need would reveal it.
    const hidden = now.startsWith("<");
    const needed = !hidden
      ? String(shot.handsNeeded)
      : shot.kind === "min_count"
        ? `up to ${shot.want - 1}`
        : "see target";
    return [shot.priority, shot.target, shot.photograph, needed, now];
  });
  return [header, ...rows].map((row) => row.map(csvCell).join(",")).join("\r\n") + "\r\n";
}
