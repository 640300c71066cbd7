import "server-only";
import { COMPARED_STATUSES } from "@/lib/annotate/status";
import type { THand } from "@/lib/hand/schema";
import { labellingAgreement, matchHandsByOks } from "@/lib/oks";
import { db } from "@/lib/server/db";
import { HAND_SELECT, handFromRow } from "@/lib/server/annotations/read-annotation-doc";
import { Prisma } from "@/lib/server/db/generated/sqlite/client";
import { projectSigmas } from "@/lib/server/gold/project-sigmas";
import { catchUpRollup } from "@/lib/server/stats/annotation-rollup";

export type TImageAgreement = {
  imageId: string;
  agreement: number;
  annotations: { id: string; annotatorId: string; annotator: string; status: string }[];
};

/**
 * How many of the newest doubly-labelled images the adjudication queue and the sigma estimate read. A
 * project with double annotation has tens of thousands of them at a million images; scoring them all on
 * every page view took seconds. The newest window is what reviewers act on, and 300 images give
 * σ estimates far past MIN_SIGMA_PAIRS per joint.
 */
export const AGREEMENT_WINDOW = 300;

/**
 * Ids of the newest active images with two or more independent labellings (gold runs excluded), newest first:
 * Image.doublyLabelled, kept by lib/server/stats/annotation-rollup.ts, read in its index order.
 */
export function doublyLabelledSql(projectId: string, limit: number): Prisma.Sql {
  return Prisma.sql`
    SELECT i."id" FROM "Image" i
    WHERE i."projectId" = ${projectId} AND i."doublyLabelled" = TRUE AND i."state" = 'active'
    ORDER BY i."createdAt" DESC, i."id" DESC
    LIMIT ${limit}`;
}

/** The newest images labelled independently by two or more people, with their first two labellings' hands. */
async function doublyLabelled(projectId: string) {
  // Annotations written without the app's writes (bulk imports, generators) are counted into Image.doublyLabelled first.
  await catchUpRollup(projectId);
  const ids = (await db.$queryRaw<{ id: string }[]>(doublyLabelledSql(projectId, AGREEMENT_WINDOW))).map(
    (row) => row.id,
  );
  const pairs = [];
  // Bounded batches: the bound parameters stay under SQLite's limit, and hands are read once per batch.
  for (let i = 0; i < ids.length; i += 200) {
    const images = await db.image.findMany({
      where: { id: { in: ids.slice(i, i + 200) } },
      select: {
        id: true,
        annotations: {
          where: { status: { in: [...COMPARED_STATUSES] }, goldScore: null },
          orderBy: { submittedAt: "asc" },
          select: {
            id: true,
            annotatorId: true,
            status: true,
            noHands: true,
            imageFlags: true,
            annotator: { select: { name: true } },
            hands: { select: HAND_SELECT, orderBy: { position: "asc" } },
          },
        },
      },
    });
    for (const image of images.filter((i) => i.annotations.length >= 2)) {
      const [a, b] = image.annotations;
      pairs.push({ image, handsA: a.hands.map(handFromRow), handsB: b.hands.map(handFromRow) });
    }
  }
  return pairs;
}

/**
 * Agreement of the newest AGREEMENT_WINDOW doubly-labelled images (hands matched by OKS with the project's sigmas), lowest
 * first. Those under the project's threshold form the adjudication queue.
 */
export async function imageAgreements(projectId: string): Promise<TImageAgreement[]> {
  const { sigmas } = await projectSigmas(projectId);
  const rows = (await doublyLabelled(projectId)).map(({ image, handsA, handsB }) => ({
    imageId: image.id,
    agreement: labellingAgreement(handsA, handsB, { sigmas }),
    annotations: image.annotations.map((a) => ({
      id: a.id,
      annotatorId: a.annotatorId,
      annotator: a.annotator.name,
      status: a.status,
    })),
  }));
  return rows.sort((x, y) => x.agreement - y.agreement);
}

/** Matched hand pairs of accepted doubly-labelled images: the sample sigmas are estimated from. */
export async function acceptedHandPairs(projectId: string): Promise<[THand, THand][]> {
  const pairs: [THand, THand][] = [];
  for (const { image, handsA, handsB } of await doublyLabelled(projectId)) {
    if (image.annotations.slice(0, 2).some((a) => a.status !== "accepted")) continue;
    for (const match of matchHandsByOks(handsA, handsB).pairs) pairs.push([handsA[match.a], handsB[match.b]]);
  }
  return pairs;
}
