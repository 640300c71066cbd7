import "server-only";
import { ZCoverageQuery, type TCoverageQuery } from "@/lib/coverage/query";
import {
  DIMENSION_IDS,
  DIMENSIONS,
  columnsOf,
  formatValue,
  orderedValues,
  tally,
  totalHands,
  type TDimensionContext,
  type TDimensionId,
} from "@/lib/coverage/dimensions";
import { byLargestGap, targetDimensions, targetProgress, type TProgressLine } from "@/lib/coverage/targets";
import { shotList, shotListCsv, type TShot } from "@/lib/coverage/shot-list";
import { fieldErrors } from "@/lib/server/http/route";
import { ZProjectSettings } from "@/lib/project/schema";
import { AppError } from "@/lib/errors/app-error";
import { db } from "@/lib/server/db";
import { backfillHandCoverage } from "./hand-columns";
import { CUBE_GROUPS, loadCubes, type TCoverageFilter } from "./coverage-cube";
import { listTargets } from "./coverage-targets";

export type TMarginal = {
  dimension: TDimensionId;
  label: string;
  demographic: boolean;
  values: { value: string; label: string; hands: number }[];
};
export type TCoverageReport = {
  query: TCoverageQuery;
  totalHands: number;
  marginals: TMarginal[];
  pair: {
    x: TDimensionId;
    y: TDimensionId;
    xValues: { value: string; label: string }[];
    yValues: { value: string; label: string }[];
    counts: number[][];
  };
  targets: TProgressLine[];
  shots: TShot[];
  ms: number;
};

/** Subject demographics for the subjects that have hands in the counted rows (managers only). */
async function dimensionContext(projectId: string, subjectIds: string[]): Promise<TDimensionContext> {
  const project = await db.project.findUnique({
    where: { id: projectId },
    select: { gestures: true, imageFlags: true },
  });
  if (!project) throw new AppError("not_found", "No such project");
  const settings = ZProjectSettings.safeParse({
    name: "x",
    gestures: project.gestures,
    imageFlags: project.imageFlags,
  });
  const subjects = subjectIds.length
    ? await db.subject.findMany({
        where: { projectId, id: { in: subjectIds } },
        select: { id: true, ageBand: true, sexOrGender: true, monkSkinTone: true },
      })
    : [];
  return {
    gestures: settings.success ? settings.data.gestures : [],
    imageFlags: settings.success ? settings.data.imageFlags : [],
    subjects: new Map(subjects.map((s) => [s.id, s])),
  };
}

/**
 * Coverage of a project: every dimension's counts, one two-way table, and each target's progress with
 * the shot list. All counts come from GROUP BY queries on the stored per-hand columns.
 */
export async function getCoverage(projectId: string, query: TCoverageQuery): Promise<TCoverageReport> {
  const started = performance.now();
  await backfillHandCoverage();
  const filter: TCoverageFilter = { scope: query.scope, from: query.from, to: query.to };
  const targets = await listTargets(projectId);
  // Demographic targets are counted with the subject so small cells can be protected when they leave the app.
  const targetColumns = (target: (typeof targets)[number]) => {
    const dims = targetDimensions(target);
    const columns = columnsOf(dims);
    const demographic = dims.some((d) => DIMENSIONS[d].demographic);
    return demographic || columns.length === 0 ? [...new Set([...columns, "subjectId" as const])] : columns;
  };
  const cube = await loadCubes(projectId, filter, [
    ...CUBE_GROUPS,
    columnsOf([query.x, query.y]),
    ...targets.map(targetColumns),
  ]);
  const subjectIds = [
    ...new Set(
      cube(["subjectId"])
        .map((row) => row.key.subjectId)
        .filter((id): id is string => !!id),
    ),
  ];
  const ctx = await dimensionContext(projectId, subjectIds);

  const marginals: TMarginal[] = [];
  for (const d of DIMENSION_IDS) {
    const cells = tally(cube(columnsOf([d])), [d], ctx);
    const values = orderedValues(
      d,
      [...cells.values()].map((c) => c.values[0]),
      ctx,
    );
    marginals.push({
      dimension: d,
      label: DIMENSIONS[d].label,
      demographic: DIMENSIONS[d].demographic,
      values: values.map((v) => ({ value: v, label: formatValue(d, v), hands: cells.get(v)?.hands ?? 0 })),
    });
  }

  const pairCells = tally(cube(columnsOf([query.x, query.y])), [query.x, query.y], ctx);
  const xValues = orderedValues(
    query.x,
    [...pairCells.values()].map((c) => c.values[0]),
    ctx,
  );
  const yValues = orderedValues(
    query.y,
    [...pairCells.values()].map((c) => c.values[1]),
    ctx,
  );
  const counts = yValues.map((yv) => xValues.map((xv) => pairCells.get(`${xv}\u0000${yv}`)?.hands ?? 0));

  const lines: TProgressLine[] = [];
  for (const target of targets) lines.push(...targetProgress(target, cube(targetColumns(target)), ctx));
  const sorted = byLargestGap(lines);
  return {
    query,
    totalHands: totalHands(cube(["subjectId"])),
    marginals,
    pair: {
      x: query.x,
      y: query.y,
      xValues: xValues.map((v) => ({ value: v, label: formatValue(query.x, v) })),
      yValues: yValues.map((v) => ({ value: v, label: formatValue(query.y, v) })),
      counts,
    },
    targets: sorted,
    shots: shotList(sorted),
    ms: Math.round(performance.now() - started),
  };
}

/** The coverage query from a URL's search parameters; a bad one is a 400 naming the fields. */
export function parseCoverageQuery(url: string): TCoverageQuery {
  const parsed = ZCoverageQuery.safeParse(Object.fromEntries(new URL(url).searchParams));
  if (!parsed.success) throw new AppError("invalid_input", "Invalid coverage filters", fieldErrors(parsed.error));
  return parsed.data;
}

/** The shot list as CSV for the next capture session (demographic cells small-cell protected). */
export async function shotListCsvFor(projectId: string, query: TCoverageQuery): Promise<string> {
  return shotListCsv((await getCoverage(projectId, query)).shots);
}
