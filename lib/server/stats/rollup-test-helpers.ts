/**
 * Test helper of the rollup tests: the stored rollups (AnnotationRollup, FlagRollup, QueueRollup) and each
 * image's stored label status and pair marker equal a recomputation from the annotations themselves.
 */
import { expect } from "vitest";
import { databaseTarget } from "@/lib/env";
import { labelStatusOf } from "@/lib/images/gallery-filters";
import { db } from "@/lib/server/db";
import { Prisma } from "@/lib/server/db/generated/sqlite/client";
import { ROLLUP_FIGURES } from "@/lib/stats/annotation-contribution";
import { flagCountsSql, readProjectRollup, statsGroupsSql } from "./project-stats";

const postgres = databaseTarget().provider === "postgresql";

const FLOAT_FIGURES = new Set(["activeMs", "goldSum", "correctionSum"]);

/** Compares everything and returns how many annotations the rollup counts. */
export async function expectRollupEqualsRecomputation(projectId: string) {
  const { groups, flags, queue } = await readProjectRollup(projectId);
  const fresh = await db.$queryRaw<Record<string, unknown>[]>(statsGroupsSql(projectId, postgres));
  const freshFlags = await db.$queryRaw<{ code: string; severity: string; n: unknown }[]>(
    flagCountsSql(projectId, postgres),
  );
  const byKey = (rows: Record<string, unknown>[]) =>
    Object.fromEntries(
      rows
        .map((row) => [
          `${String(row.annotatorId)}/${String(row.status)}`,
          Object.fromEntries(
            ROLLUP_FIGURES.map((f) => [f, FLOAT_FIGURES.has(f) ? Number(Number(row[f]).toFixed(6)) : Number(row[f])]),
          ),
        ])
        .sort(([a], [b]) => String(a).localeCompare(String(b))),
    );
  expect(byKey(groups)).toEqual(byKey(fresh));
  const flagMap = (rows: { code: string; severity: string; n: unknown }[]) =>
    Object.fromEntries(rows.map((r) => [`${r.code}/${r.severity}`, Number(r.n)]).sort());
  expect(flagMap(flags)).toEqual(flagMap(freshFlags));

  // Queue: active images by (double annotation, slot-holding annotations), recounted from the annotations.
  const queueFresh = await db.$queryRaw<{ doubleAnnotate: unknown; held: unknown; images: unknown }[]>(Prisma.sql`
    SELECT i."doubleAnnotate" AS "doubleAnnotate", t."held" AS "held", COUNT(*) AS "images" FROM "Image" i
      JOIN (SELECT i2."id" AS "id", (SELECT COUNT(*) FROM "Annotation" a WHERE a."imageId" = i2."id"
        AND a."status" IN ('draft', 'submitted', 'accepted', 'rejected')) AS "held" FROM "Image" i2) t ON t."id" = i."id"
    WHERE i."projectId" = ${projectId} AND i."state" = 'active'
    GROUP BY i."doubleAnnotate", t."held"`);
  const queueMap = (rows: { doubleAnnotate: unknown; held: unknown; images: unknown }[]) =>
    Object.fromEntries(rows.map((r) => [`${Boolean(r.doubleAnnotate)}/${Number(r.held)}`, Number(r.images)]).sort());
  expect(queueMap(queue)).toEqual(queueMap(queueFresh));

  // Each image's stored label status (the gallery filter) and pair marker (adjudication) are what its annotations give now.
  const images = await db.image.findMany({
    where: { projectId },
    select: {
      id: true,
      labelStatus: true,
      doublyLabelled: true,
      annotations: { select: { status: true, goldScore: true } },
    },
    orderBy: { id: "asc" },
  });
  expect(images.map((i) => [i.id, i.labelStatus, i.doublyLabelled])).toEqual(
    images.map((i) => [
      i.id,
      labelStatusOf(i.annotations.map((a) => a.status)),
      i.annotations.filter((a) => (a.status === "submitted" || a.status === "accepted") && a.goldScore === null)
        .length >= 2,
    ]),
  );
  return groups.reduce((sum, g) => sum + g.annotations, 0);
}
