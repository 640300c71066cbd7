import "server-only";
import { COMPARED_STATUSES } from "@/lib/annotate/status";
import type { THand } from "@/lib/hand/schema";
import { addSigmaSums, NO_SIGMA_SUMS, type TSigmaSums } from "@/lib/oks";
import { currentPairFacts, pairBasis, pairFacts, type TPairFacts } from "@/lib/oks/pair-facts";
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

/** Images per statement when stale facts are computed: the bound parameters stay under SQLite's limit. */
const BATCH = 200;

/**
 * The newest active images with two or more independent labellings (gold runs excluded), newest first
 * (Image.doublyLabelled, kept by lib/server/stats/annotation-rollup.ts, read in its index order), each with
 * its stored pair facts and its handed-in labellings, oldest hand-in first. One statement: the ORM's
 * relation loading cost more than the query itself.
 */
export function doublyLabelledSql(projectId: string, limit: number): Prisma.Sql {
  return Prisma.sql`
    SELECT w."id" AS "imageId", w."agreementFacts" AS "agreementFacts", a."id" AS "id", a."annotatorId" AS "annotatorId",
      a."status" AS "status", a."updatedAt" AS "updatedAt", u."name" AS "annotator"
    FROM (SELECT i."id", i."agreementFacts", i."createdAt" FROM "Image" i
      WHERE i."projectId" = ${projectId} AND i."doublyLabelled" = TRUE AND i."state" = 'active'
      ORDER BY i."createdAt" DESC, i."id" DESC
      LIMIT ${limit}) w
    JOIN "Annotation" a ON a."imageId" = w."id" AND a."status" IN (${Prisma.join([...COMPARED_STATUSES])}) AND a."goldScore" IS NULL
    JOIN "User" u ON u."id" = a."annotatorId"
    ORDER BY w."createdAt" DESC, w."id" DESC, a."submittedAt" ASC, a."id" ASC`;
}

type TLabelling = { id: string; annotatorId: string; status: string; updatedAt: Date; annotator: string };
type TWindowImage = { imageId: string; labellings: TLabelling[]; facts: TPairFacts };

/** Computes the facts of these images' first two labellings from their hands and stores them on the images. */
async function computePairFacts(
  stale: { imageId: string; labellings: TLabelling[]; basis: string }[],
  sigmas: readonly number[],
): Promise<Map<string, TPairFacts>> {
  const computed = new Map<string, TPairFacts>();
  for (let i = 0; i < stale.length; i += BATCH) {
    const batch = stale.slice(i, i + BATCH);
    const hands = await db.hand.findMany({
      where: { annotationId: { in: batch.flatMap((image) => image.labellings.slice(0, 2).map((l) => l.id)) } },
      select: { annotationId: true, ...HAND_SELECT },
      orderBy: [{ annotationId: "asc" }, { position: "asc" }],
    });
    const handsByAnnotation = new Map<string, THand[]>();
    for (const hand of hands)
      handsByAnnotation.set(hand.annotationId, [
        ...(handsByAnnotation.get(hand.annotationId) ?? []),
        handFromRow(hand),
      ]);
    const handsOf = (annotationId: string) => handsByAnnotation.get(annotationId) ?? [];
    for (const { imageId, labellings, basis } of batch)
      computed.set(imageId, pairFacts(basis, handsOf(labellings[0].id), handsOf(labellings[1].id), sigmas));
    const stored = [...batch.map((image) => [image.imageId, computed.get(image.imageId)!] as const)];
    // A concurrent edit changes a labelling's updatedAt, so facts stored from older hands carry a stale basis.
    await db.$executeRaw(Prisma.sql`
      UPDATE "Image" SET "agreementFacts" = CASE "id" ${Prisma.join(
        stored.map(([id, facts]) => Prisma.sql`WHEN ${id} THEN ${JSON.stringify(facts)}`),
        " ",
      )} END
      WHERE "id" IN (${Prisma.join(stored.map(([id]) => id))})`);
  }
  return computed;
}

/**
 * The newest AGREEMENT_WINDOW doubly-labelled images with their independent labellings (oldest hand-in first)
 * and the facts of the first two: stored ones when still current, else computed from the hands and stored.
 */
async function agreementWindow(projectId: string): Promise<TWindowImage[]> {
  // Annotations written without the app's writes (bulk imports, generators) are counted into Image.doublyLabelled first.
  await catchUpRollup(projectId);
  const { sigmas } = await projectSigmas(projectId);
  const rows = await db.$queryRaw<
    {
      imageId: string;
      agreementFacts: string | null;
      id: string;
      annotatorId: string;
      status: string;
      updatedAt: Date | string;
      annotator: string;
    }[]
  >(doublyLabelledSql(projectId, AGREEMENT_WINDOW));
  const byImage = new Map<string, { agreementFacts: string | null; labellings: TLabelling[] }>();
  for (const row of rows) {
    const image = byImage.get(row.imageId) ?? { agreementFacts: row.agreementFacts, labellings: [] };
    image.labellings.push({ ...row, updatedAt: new Date(row.updatedAt) });
    byImage.set(row.imageId, image);
  }
  const window: { imageId: string; labellings: TLabelling[]; basis: string; facts: TPairFacts | null }[] = [];
  for (const [imageId, { agreementFacts, labellings }] of byImage) {
    if (labellings.length < 2) continue;
    const basis = pairBasis(sigmas, labellings.slice(0, 2));
    window.push({ imageId, labellings, basis, facts: currentPairFacts(agreementFacts, basis) });
  }
  const computed = await computePairFacts(
    window.filter((image) => image.facts === null),
    sigmas,
  );
  return window.map(({ imageId, labellings, facts }) => ({
    imageId,
    labellings,
    facts: facts ?? computed.get(imageId)!,
  }));
}

/**
 * Agreement of the newest AGREEMENT_WINDOW doubly-labelled images (hands matched by OKS with the project's sigmas), lowest
 * first. Those under the project's threshold form the adjudication queue.
 */
export async function imageAgreements(projectId: string): Promise<TImageAgreement[]> {
  const rows = (await agreementWindow(projectId)).map(({ imageId, labellings, facts }) => ({
    imageId,
    agreement: facts.agreement,
    annotations: labellings.map((a) => ({
      id: a.id,
      annotatorId: a.annotatorId,
      annotator: a.annotator,
      status: a.status,
    })),
  }));
  return rows.sort((x, y) => x.agreement - y.agreement);
}

/** The sigma sample of the window's images whose first two labellings are accepted (the quality page's estimate). */
export async function acceptedPairSample(projectId: string): Promise<TSigmaSums> {
  let sample = NO_SIGMA_SUMS;
  for (const { labellings, facts } of await agreementWindow(projectId))
    if (labellings.slice(0, 2).every((l) => l.status === "accepted")) sample = addSigmaSums(sample, facts.sample);
  return sample;
}
