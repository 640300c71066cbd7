import "server-only";
import { COVERAGE_SCOPES, type TCoverageScope } from "@/lib/coverage/stage";
import { COVERAGE_COLUMNS, cubeValue, type TCoverageColumn, type TCubeRow } from "@/lib/coverage/dimensions";
import { databaseTarget } from "@/lib/env";
import { db } from "@/lib/server/db";
import { Prisma } from "@/lib/server/db/generated/sqlite/client";

export type TCoverageFilter = { scope: TCoverageScope; from?: Date; to?: Date };

/**
 * Column groups that each lead one Hand index (prisma/schema.prisma): on SQLite, grouping by a group's
 * columns reads that index in order, with no sort. The first index holds every coverage column, so any
 * other combination is a covering scan of it.
 */
export const CUBE_GROUPS: readonly (readonly TCoverageColumn[])[] = [
  ["skinTone", "gesture", "view", "interaction"],
  ["handedness", "occlusionBand", "truncated", "imageFlagKey"],
  ["subjectId"],
];

const setId = (columns: readonly TCoverageColumn[]) => [...columns].sort().join(",");

/** The column set a question is answered from: the index group holding all its columns, else itself. */
const servedBy = (columns: readonly TCoverageColumn[]) =>
  CUBE_GROUPS.find((g) => columns.every((c) => g.includes(c))) ?? columns;

/** SQLite: one GROUP BY per set (it has no grouping sets); the stage leads so the GROUP BY follows the index. */
async function cubeBySqlite(projectId: string, columns: readonly TCoverageColumn[], filter: TCoverageFilter) {
  const groups = await db.hand.groupBy({
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
    key: Object.fromEntries(columns.map((c) => [c, cubeValue((group as Record<string, unknown>)[c])])),
    count: Number(group._count._all),
  }));
}

/**
 * PostgreSQL: every set in one GROUPING SETS query, so the project's hands are read once (a covering
 * index scan) however many tables and targets the page shows. GROUPING() tells which set a row is from.
 */
async function cubesByPostgres(
  projectId: string,
  sets: readonly (readonly TCoverageColumn[])[],
  filter: TCoverageFilter,
) {
  const columns = COVERAGE_COLUMNS.filter((c) => sets.some((s) => s.includes(c)));
  const quoted = (c: TCoverageColumn) => Prisma.raw(`"${c}"`);
  const dateFilter = Prisma.sql`${filter.from ? Prisma.sql` AND "createdAt" >= ${filter.from}` : Prisma.empty}${
    filter.to ? Prisma.sql` AND "createdAt" <= ${filter.to}` : Prisma.empty
  }`;
  const groupingSets = Prisma.join(
    sets.map((s) => (s.length ? Prisma.sql`(${Prisma.join(s.map(quoted))})` : Prisma.sql`()`)),
  );
  const rows = await db.$queryRaw<Record<string, unknown>[]>(Prisma.sql`
    SELECT ${columns.length ? Prisma.sql`${Prisma.join(columns.map(quoted))}, GROUPING(${Prisma.join(columns.map(quoted))})` : Prisma.sql`0`} AS "groupingMask",
      CAST(COUNT(*) AS INTEGER) AS "hands"
    FROM "Hand"
    WHERE "projectId" = ${projectId} AND "coverageStage" IN (${Prisma.join([...COVERAGE_SCOPES[filter.scope]])})${dateFilter}
    GROUP BY GROUPING SETS (${groupingSets})`);
  // GROUPING(a, b, …) has a 1 bit, a leading the highest, for each column the row's set leaves out.
  const mask = (s: readonly TCoverageColumn[]) =>
    columns.reduce((bits, c, i) => (s.includes(c) ? bits : bits | (1 << (columns.length - 1 - i))), 0);
  return sets.map((s) =>
    rows
      .filter((row) => Number(row.groupingMask) === mask(s))
      .map((row) => ({ key: Object.fromEntries(s.map((c) => [c, cubeValue(row[c])])), count: Number(row.hands) })),
  );
}

/**
 * Loads the cubes for every column set a report needs, then answers each from memory: a narrower
 * question from a wider cube (tallying ignores the other columns).
 */
export async function loadCubes(
  projectId: string,
  filter: TCoverageFilter,
  wanted: readonly (readonly TCoverageColumn[])[],
): Promise<(columns: readonly TCoverageColumn[]) => TCubeRow[]> {
  const sets = [...new Map(wanted.map(servedBy).map((s) => [setId(s), s])).values()];
  const rows =
    databaseTarget().provider === "postgresql"
      ? await cubesByPostgres(projectId, sets, filter)
      : await sets.reduce<Promise<TCubeRow[][]>>(
          async (done, s) => [...(await done), await cubeBySqlite(projectId, s, filter)],
          Promise.resolve([]),
        );
  const bySet = new Map(sets.map((s, i) => [setId(s), rows[i]]));
  return (columns) => {
    const found = bySet.get(setId(servedBy(columns)));
    if (!found) throw new Error(`coverage: no cube loaded for ${setId(columns)}`);
    return found;
  };
}
