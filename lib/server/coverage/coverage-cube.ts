import "server-only";
import { COVERAGE_SCOPES, type TCoverageScope } from "@/lib/coverage/stage";
import type { TCoverageColumn, TCubeRow } from "@/lib/coverage/dimensions";
import { db } from "@/lib/server/db";

export type TCoverageFilter = { scope: TCoverageScope; from?: Date; to?: Date };

/**
 * Column groups that each match one Hand index (prisma/schema.prisma): grouping by a group's columns
 * reads that index in order, with no sort and no table access. Other combinations group ad hoc.
 */
export const CUBE_GROUPS: readonly (readonly TCoverageColumn[])[] = [
  ["skinTone", "gesture", "view", "interaction"],
  ["handedness", "occlusionBand", "truncated", "imageFlagKey"],
  ["subjectId"],
];

const text = (value: unknown) =>
  value === null || value === undefined ? null : typeof value === "boolean" ? (value ? "1" : "0") : String(value);

/** Hands of a project counted by the given stored columns (SQL GROUP BY on the Hand table). */
export async function coverageCube(
  projectId: string,
  columns: readonly TCoverageColumn[],
  filter: TCoverageFilter,
): Promise<TCubeRow[]> {
  const groups = await db.hand.groupBy({
    // The stage leads so the GROUP BY follows the index whether one stage or several are counted.
    by: ["coverageStage", ...columns],
    where: {
      projectId,
      coverageStage: { in: [...COVERAGE_SCOPES[filter.scope]] },
      ...(filter.from || filter.to
        ? { createdAt: { ...(filter.from ? { gte: filter.from } : {}), ...(filter.to ? { lte: filter.to } : {}) } }
        : {}),
    },
    _count: { _all: true },
  });
  return groups.map((group) => ({
    key: Object.fromEntries(columns.map((c) => [c, text((group as Record<string, unknown>)[c])])),
    count: Number(group._count._all),
  }));
}

/**
 * Serves cubes for column sets, from the index-backed groups where possible, each query run once
 * per request. Rows of a wider cube answer a narrower question (tallying ignores the other columns).
 */
export function cubeSource(projectId: string, filter: TCoverageFilter) {
  const cache = new Map<string, Promise<TCubeRow[]>>();
  const run = (columns: readonly TCoverageColumn[]) => {
    const id = [...columns].sort().join(",");
    if (!cache.has(id)) cache.set(id, coverageCube(projectId, columns, filter));
    return cache.get(id)!;
  };
  return (columns: readonly TCoverageColumn[]) => {
    const group = CUBE_GROUPS.find((g) => columns.every((c) => g.includes(c)));
    return run(group ?? columns);
  };
}
