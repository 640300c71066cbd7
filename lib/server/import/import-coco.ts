import { forgetAnnotationsWhere, syncAnnotationRollup } from "@/lib/server/stats/annotation-rollup";
import "server-only";
import { refreshHandCoverage } from "@/lib/server/coverage/hand-columns";
import { AppError } from "@/lib/errors/app-error";
import { keypointsOutsideImage, type THand } from "@/lib/hand/schema";
import { matchImportedImages, parseCocoImport, type CocoImportError } from "@/lib/import/coco-import";
import { annotationQualityFlags } from "@/lib/qc/annotation-flags";
import { hasStrongFlag } from "@/lib/qc/run-checks";
import type { TSkinMap } from "@/lib/qc/skin";
import { skinMapOfImage } from "@/lib/server/qc/skin-map";
import { networkModelHands } from "@/lib/server/qc/network-model";
import type { TModelHand } from "@/lib/qc/run-checks";
import { db } from "@/lib/server/db";
import { recordAuditEvent } from "@/lib/server/audit/record-audit-event";
import { handRows } from "@/lib/server/annotations/read-annotation-doc";
import { imagePreAnnotationColumn } from "@/lib/server/db/json-columns";
import type { TPreAnnotation } from "@/lib/images/pre-annotation";

export type TImportReport = { imported: number; hands: number; invalid: CocoImportError[] };

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
  const candidates = await db.image.findMany({
    where: { projectId, state: "active" },
    select: { id: true, sha256: true, originalFilename: true, width: true, height: true },
  });
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
  const skinOf = new Map<string, TSkinMap | null>();
  const networkOf = new Map<string, TModelHand[]>();
  if (options.as !== "pre-annotations")
    for (const { imageId, hands } of toCreate) {
      skinOf.set(imageId, await skinMapOfImage(imageId));
      networkOf.set(imageId, await networkModelHands(imageId, hands, []));
    }
  await db.$transaction(
    async (tx) => {
      for (const { imageId, hands } of toCreate) {
        if (options.as === "pre-annotations") {
          const preAnnotation: TPreAnnotation = { source: "imported", hands };
          await tx.image.update({
            where: { id: imageId },
            data: { preAnnotation: imagePreAnnotationColumn.write(preAnnotation) },
          });
          continue;
        }
        const size = sizeOf.get(imageId)!;
        const flags = annotationQualityFlags({ hands, noHands: false, imageFlags: [] }, size, {
          skin: skinOf.get(imageId),
          network: networkOf.get(imageId) ?? [],
        });
        await forgetAnnotationsWhere(tx, { imageId, annotatorId: actorId, source: "imported" });
        await tx.annotation.deleteMany({ where: { imageId, annotatorId: actorId, source: "imported" } });
        const annotation = await tx.annotation.create({
          // Imported labels are accepted as they are, except likely mistakes (strong flags): those wait for review.
          data: {
            imageId,
            annotatorId: actorId,
            status: hasStrongFlag(flags.all) ? "submitted" : "accepted",
            source: "imported",
            submittedAt: new Date(),
            imageFlags: [],
            qualityFlags: flags.all,
            strongFlagged: hasStrongFlag(flags.all),
          },
          select: { id: true },
        });
        await tx.hand.createMany({ data: handRows(annotation.id, hands, flags.perHand) });
        await refreshHandCoverage(tx, annotation.id);
        await syncAnnotationRollup(tx, [annotation.id]);
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
