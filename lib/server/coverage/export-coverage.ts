import "server-only";
import { COVERAGE_COLUMNS, cubeValue, type TCubeRow } from "@/lib/coverage/dimensions";
import { byLargestGap, targetProgress } from "@/lib/coverage/targets";
import { coverageDatasheetSection } from "@/lib/coverage/datasheet-section";
import { ZProjectSettings } from "@/lib/project/schema";
import { db } from "@/lib/server/db";
import type { TBalanceReport } from "./balance-export";
import { listTargets } from "./coverage-targets";

const CHUNK = 500;

/** DATASHEET.md's coverage section for an export's annotations: the targets measured on the exported hands. */
export async function exportCoverageSection(
  projectId: string,
  annotationIds: readonly string[],
  balance: TBalanceReport | null,
): Promise<string> {
  const targets = await listTargets(projectId);
  const cells = new Map<string, TCubeRow>();
  if (targets.length) {
    for (let i = 0; i < annotationIds.length; i += CHUNK) {
      const hands = await db.hand.findMany({
        where: { annotationId: { in: annotationIds.slice(i, i + CHUNK) } },
        select: Object.fromEntries(COVERAGE_COLUMNS.map((c) => [c, true])),
      });
      for (const hand of hands as Record<string, unknown>[]) {
        const key = Object.fromEntries(COVERAGE_COLUMNS.map((c) => [c, cubeValue(hand[c])]));
        const id = JSON.stringify(key);
        const cell = cells.get(id) ?? { key, count: 0 };
        cell.count++;
        cells.set(id, cell);
      }
    }
  }
  const project = await db.project.findUniqueOrThrow({
    where: { id: projectId },
    select: { gestures: true, imageFlags: true },
  });
  const settings = ZProjectSettings.safeParse({
    name: "x",
    gestures: project.gestures,
    imageFlags: project.imageFlags,
  });
  const rows = [...cells.values()];
  const subjectIds = [...new Set(rows.map((r) => r.key.subjectId).filter((id): id is string => !!id))];
  const subjects = await db.subject.findMany({
    where: { id: { in: subjectIds } },
    select: { id: true, ageBand: true, sexOrGender: true, monkSkinTone: true },
  });
  const ctx = {
    gestures: settings.success ? settings.data.gestures : [],
    imageFlags: settings.success ? settings.data.imageFlags : [],
    subjects: new Map(subjects.map((s) => [s.id, s])),
  };
  return coverageDatasheetSection(byLargestGap(targets.flatMap((t) => targetProgress(t, rows, ctx))), balance);
}
