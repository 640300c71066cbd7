import { forgetAnnotationsWhere, syncAnnotationRollup } from "@/lib/server/stats/annotation-rollup";
import "server-only";
import { refreshImagesHandCoverage } from "@/lib/server/coverage/hand-columns";
import { newId } from "@/lib/server/db/new-id";
import { AppError } from "@/lib/errors/app-error";
import { keypointsOutsideImage, type THand } from "@/lib/hand/schema";
import { matchImportedImages, parseCocoImport, type CocoImportError } from "@/lib/import/coco-import";
import { annotationQualityFlags } from "@/lib/qc/annotation-flags";
import { hasStrongFlag } from "@/lib/qc/run-checks";
import type { TSkinMap } from "@/lib/qc/skin";
import { skinMapsOfImages } from "@/lib/server/qc/skin-map";
import { networkModelHands } from "@/lib/server/qc/network-model";
import type { TModelHand } from "@/lib/qc/run-checks";
import { db } from "@/lib/server/db";
import { recordAuditEvent, type TTx } from "@/lib/server/audit/record-audit-event";
import { handRows } from "@/lib/server/annotations/read-annotation-doc";
import { imagePreAnnotationColumn } from "@/lib/server/db/json-columns";
import type { TPreAnnotation } from "@/lib/images/pre-annotation";

export type TImportReport = { imported: number; hands: number; invalid: CocoImportError[] };

/** Images whose labels are written per batch of statements (well below SQLite's bound-parameter limit). */
const IMPORT_BATCH = 200;

/** The active images a COCO file's images could match (lib/import/coco-import.ts matchImportedImages): those with
 * one of its hashes, file names or, for Phalanx's own exports (images/<split>/<id>.jpg), ids — looked up per
 * batch on indexes, so an import of a few images never lists a project of a million. */
async function importCandidates(projectId: string, images: readonly { file_name: string; sha256?: string | null }[]) {
  const base = (name: string) => name.split(/[\\/]/).pop() ?? name;
  const names = [...new Set(images.map((image) => base(image.file_name)))];
  const lookups = [
    ["sha256", [...new Set(images.flatMap((image) => (image.sha256 ? [image.sha256.toLowerCase()] : [])))]],
    ["originalFilename", names],
    ["id", names.filter((name) => name.endsWith(".jpg")).map((name) => name.slice(0, -".jpg".length))],
  ] as const;
  const found = new Map<
    string,
    { id: string; sha256: string; originalFilename: string; width: number; height: number }
  >();
  for (const [column, values] of lookups)
    for (let i = 0; i < values.length; i += IMPORT_BATCH)
      for (const row of await db.image.findMany({
        where: { projectId, state: "active", [column]: { in: values.slice(i, i + IMPORT_BATCH) } },
        select: { id: true, sha256: true, originalFilename: true, width: true, height: true },
      }))
        found.set(row.id, row);
  return [...found.values()];
}

/**
 * Writes one batch of imported labellings, replacing the importer's earlier import of the same images: the
 * earlier ones out of the rollup and deleted, the new annotations and their hands inserted in one statement
 * each, then the images' coverage and the rollup brought up to date (both batched themselves).
 */
async function writeImportedBatch(
  tx: TTx,
  actorId: string,
  batch: { imageId: string; hands: THand[]; flags: ReturnType<typeof annotationQualityFlags> }[],
) {
  const imageIds = batch.map((item) => item.imageId);
  const earlier = { imageId: { in: imageIds }, annotatorId: actorId, source: "imported" };
  await forgetAnnotationsWhere(tx, earlier);
  await tx.annotation.deleteMany({ where: earlier });
  const submittedAt = new Date();
  const written = batch.map((item) => ({ ...item, annotationId: newId() }));
  await tx.annotation.createMany({
    // Imported labels are accepted as they are, except likely mistakes (strong flags): those wait for review.
    data: written.map(({ imageId, annotationId, flags }) => ({
      id: annotationId,
      imageId,
      annotatorId: actorId,
      status: hasStrongFlag(flags.all) ? "submitted" : "accepted",
      source: "imported",
      submittedAt,
      imageFlags: [],
      qualityFlags: flags.all,
      strongFlagged: hasStrongFlag(flags.all),
    })),
  });
  await tx.hand.createMany({
    data: written.flatMap(({ annotationId, hands, flags }) => handRows(annotationId, hands, flags.perHand)),
  });
  await refreshImagesHandCoverage(tx, imageIds);
  await syncAnnotationRollup(
    tx,
    written.map((item) => item.annotationId),
  );
}

/**
 * Imports COCO keypoints as accepted labels (or as pre-annotations that new claims start from) of the project's images (matched by sha256, else file
 * name). Every invalid annotation is reported by id and reason; by default nothing is imported unless
 * everything is valid (`skipInvalid` imports the rest and lists the invalid ones). One transaction.
 */
export async function importCoco(
  projectId: string,
  text: string,
  options: { skipInvalid: boolean; as?: "accepted" | "pre-annotations" },
  actorId: string,
): Promise<TImportReport> {
  const parsed = parseCocoImport(text);
  if (!parsed.ok)
    throw new AppError("invalid_input", `The COCO file cannot be imported: ${parsed.fileErrors.join("; ")}`, {
      file: parsed.fileErrors[0] ?? "Malformed",
    });
  const candidates = await importCandidates(projectId, parsed.images);
  const { matched, unmatched, ambiguous } = matchImportedImages(parsed.images, [
    ...candidates.map((c) => ({ id: c.id, fileName: c.originalFilename, sha256: c.sha256 })),
    // Phalanx's own exports name images by id (images/<split>/<id>.jpg), so those match too.
    ...candidates.map((c) => ({ id: c.id, fileName: `${c.id}.jpg` })),
  ]);
  const sizeOf = new Map(candidates.map((c) => [c.id, c]));
  const invalid: CocoImportError[] = [...parsed.errors];
  for (const image of [...unmatched, ...ambiguous]) {
    if ((parsed.handsByImage.get(image.id) ?? []).length)
      invalid.push({
        annotationId: null,
        reason: `image ${image.id} (${image.file_name}) matches ${ambiguous.includes(image) ? "several" : "no"} image of this project`,
      });
  }
  const toCreate: { imageId: string; hands: THand[] }[] = [];
  for (const [cocoId, imageId] of matched) {
    const hands = parsed.handsByImage.get(cocoId) ?? [];
    const size = sizeOf.get(imageId)!;
    // The stored original is authoritative: a file whose sizes disagree (e.g. unrotated EXIF) is refused.
    const outside = hands.filter((hand) => keypointsOutsideImage(hand.keypoints, size.width, size.height).length);
    if (outside.length)
      invalid.push({
        annotationId: null,
        reason: `image ${cocoId}: ${outside.length} hand(s) outside the stored ${size.width}×${size.height} image`,
      });
    else if (hands.length) toCreate.push({ imageId, hands });
  }
  if (invalid.length && !options.skipInvalid) {
    const fields = Object.fromEntries(
      invalid
        .slice(0, 50)
        .map((e, i) => [e.annotationId === null ? `file.${i}` : `annotations.${e.annotationId}`, e.reason]),
    );
    throw new AppError(
      "invalid_input",
      `Nothing was imported: ${invalid.length} invalid annotation(s) or image(s), e.g. ${invalid[0].reason}`,
      fields,
    );
  }
  // Accepted labels are checked against their photo's pixels too (joints off the skin), read before the transaction.
  // … and left/right without a view against the hand-landmark network (lib/qc/network-model.ts).
  const skinOf: Map<string, TSkinMap | null> =
    options.as === "pre-annotations" ? new Map() : await skinMapsOfImages(toCreate.map((item) => item.imageId));
  const networkOf = new Map<string, TModelHand[]>();
  if (options.as !== "pre-annotations")
    for (const { imageId, hands } of toCreate) networkOf.set(imageId, await networkModelHands(imageId, hands, []));
  await db.$transaction(
    async (tx) => {
      if (options.as === "pre-annotations")
        for (const { imageId, hands } of toCreate) {
          const preAnnotation: TPreAnnotation = { source: "imported", hands };
          await tx.image.update({
            where: { id: imageId },
            data: { preAnnotation: imagePreAnnotationColumn.write(preAnnotation) },
          });
        }
      // Accepted labels: a batch of images per few statements (each image on its own cost ~20 round trips).
      else {
        // One labelling per image and importer: a later COCO image matching the same photo replaces an earlier one.
        const labellings = [...new Map(toCreate.map((item) => [item.imageId, item])).values()].map(
          ({ imageId, hands }) => ({
            imageId,
            hands,
            flags: annotationQualityFlags({ hands, noHands: false, imageFlags: [] }, sizeOf.get(imageId)!, {
              skin: skinOf.get(imageId),
              network: networkOf.get(imageId) ?? [],
            }),
          }),
        );
        for (let i = 0; i < labellings.length; i += IMPORT_BATCH)
          await writeImportedBatch(tx, actorId, labellings.slice(i, i + IMPORT_BATCH));
      }
      await recordAuditEvent(
        {
          actorId,
          projectId,
          action: "import.coco",
          targetType: "project",
          targetId: projectId,
          details: { images: toCreate.length, invalid: invalid.length, as: options.as ?? "accepted" },
        },
        tx,
      );
    },
    { timeout: 120_000 },
  );
  return { imported: toCreate.length, hands: toCreate.reduce((n, c) => n + c.hands.length, 0), invalid };
}
