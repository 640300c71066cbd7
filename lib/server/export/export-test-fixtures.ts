import "server-only";
import { expect } from "vitest";
import { unzip } from "@/test/unzip";
import { DEMO_POSES, demoPoseToHand } from "@/lib/demo/poses";
import { drawHandImage } from "@/lib/demo/draw-hand";
import { ZExportOptions } from "@/lib/export/options";
import { db } from "@/lib/server/db";
import { storage } from "@/lib/server/storage/storage";
import { ingestImage } from "@/lib/server/images/ingest-image";
import type { createFixtureProject } from "@/lib/server/queue/queue-test-fixtures";
import { createSubject } from "@/lib/server/subjects/subjects";
import { recordConsent } from "@/lib/server/consent/record-consent";
import { claimExportJob, executeExportJob, requestExport } from "./export-jobs";

/** A subject with consent for `scopes`, and one demo image per pose, labelled and accepted. */
export async function consentingSubjectWithLabels(fixture: Awaited<ReturnType<typeof createFixtureProject>>, scopes: ("annotation" | "research")[], poses: number[], annotatorId: string) {
  const subject = await createSubject(fixture.project.id, { ageBand: "25-34", monkSkinTone: 5 }, fixture.manager.id);
  await recordConsent(fixture.project.id, subject.id, { consentTextId: fixture.text.id, scopes, biometricNoticeAcknowledged: true, signedAt: new Date(Date.now() - 86_400_000), jurisdiction: "EU", isMinor: false }, null, fixture.manager.id);
  const images: string[] = [];
  for (const index of poses) {
    const pose = DEMO_POSES[index]!;
    const image = await ingestImage({ projectId: fixture.project.id, subjectId: subject.id, bytes: await drawHandImage(pose), filename: `${pose.name}.jpg`, uploadedById: fixture.manager.id });
    images.push(image.id);
    const hand = demoPoseToHand(pose);
    await db.annotation.create({
      data: {
        imageId: image.id, annotatorId, status: "accepted", imageFlags: [], qualityFlags: [],
        hands: { create: { position: 0, handedness: hand.handedness, keypoints: hand.keypoints, bbox: hand.bbox ?? undefined, gesture: hand.gesture, view: hand.view, attributes: {}, qualityFlags: [] } },
      },
    });
  }
  return { ...subject, images };
}

/** Runs one queued export to the end (this process claims it) and returns its row and files. */
export async function runQueuedExport(jobId: string) {
  expect(await claimExportJob()).toBe(jobId);
  const result = await executeExportJob(jobId);
  const row = await db.export.findUniqueOrThrow({ where: { id: jobId } });
  expect(row.status, row.error ?? "").toBe("done");
  return { result: result!, row, files: await unzip(await storage().get(row.archiveKey!)) };
}

export async function exportNow(projectId: string, managerId: string) {
  const job = await requestExport(projectId, ZExportOptions.parse({ purpose: "research", formats: ["coco"] }), managerId);
  return runQueuedExport(job.id);
}
