import "server-only";
import type { THand } from "@/lib/hand/schema";
import { labellingAgreement, matchHandsByOks } from "@/lib/oks";
import { db } from "@/lib/server/db";
import { readAnnotationDoc } from "@/lib/server/annotations/read-annotation-doc";
import { projectSigmas } from "@/lib/server/gold/project-sigmas";

const COMPARED_STATUSES = ["submitted", "accepted"];

export type TImageAgreement = {
  imageId: string;
  agreement: number;
  annotations: { id: string; annotatorId: string; annotator: string; status: string }[];
};

/** Images labelled independently by two or more people (gold runs excluded), with their first two labellings' hands. */
async function doublyLabelled(projectId: string) {
  const images = await db.image.findMany({
    where: { projectId, state: "active", annotations: { some: { status: { in: COMPARED_STATUSES }, goldScore: null } } },
    select: {
      id: true,
      annotations: {
        where: { status: { in: COMPARED_STATUSES }, goldScore: null },
        orderBy: { submittedAt: "asc" },
        select: { id: true, annotatorId: true, status: true, annotator: { select: { name: true } } },
      },
    },
  });
  const pairs = [];
  for (const image of images.filter((i) => i.annotations.length >= 2)) {
    const [a, b] = image.annotations;
    const [docA, docB] = await Promise.all([readAnnotationDoc(a.id), readAnnotationDoc(b.id)]);
    pairs.push({ image, handsA: docA.doc.hands, handsB: docB.doc.hands });
  }
  return pairs;
}

/**
 * Agreement of every doubly-labelled image (hands matched by OKS with the project's sigmas), lowest
 * first. Those under the project's threshold form the adjudication queue.
 */
export async function imageAgreements(projectId: string): Promise<TImageAgreement[]> {
  const { sigmas } = await projectSigmas(projectId);
  const rows = (await doublyLabelled(projectId)).map(({ image, handsA, handsB }) => ({
    imageId: image.id,
    agreement: labellingAgreement(handsA, handsB, { sigmas }),
    annotations: image.annotations.map((a) => ({ id: a.id, annotatorId: a.annotatorId, annotator: a.annotator.name, status: a.status })),
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
