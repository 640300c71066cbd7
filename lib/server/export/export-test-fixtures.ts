import "server-only";
/** Test fixtures for export tests: a project with consenting subjects and accepted labels on real ingested images. */
import sharp from "sharp";
import { DEMO_POSES, demoPoseToHand } from "@/lib/demo/poses";
import { drawHandImage } from "@/lib/demo/draw-hand";
import { db } from "@/lib/server/db";
import { ingestImage } from "@/lib/server/images/ingest-image";
import {
  createAnnotators,
  createFixtureProject,
  createSubjectWithImages,
} from "@/lib/server/queue/queue-test-fixtures";
import { expect } from "vitest";
import { unzip } from "@/test/unzip";
import { ZExportOptions } from "@/lib/export/options";
import { storage } from "@/lib/server/storage/storage";
import { createSubject } from "@/lib/server/subjects/subjects";
import { recordConsent } from "@/lib/server/consent/record-consent";
import { claimExportJob, executeExportJob, requestExport } from "./export-jobs";

/** A project with `count` labelled, accepted, consenting images (drawn demo hands, stored through the real ingest). */
export async function labelledExportProject(count: number) {
  const fixture = await createFixtureProject();
  const [annotator] = await createAnnotators(fixture.project.id, 1);
  const subjects = [];
  for (let s = 0; s < 3; s++) subjects.push((await createSubjectWithImages(fixture, 0)).subject);
  for (let i = 0; i < count; i++) {
    const pose = DEMO_POSES[i % DEMO_POSES.length];
    // Past the dozen demo poses, a re-encoded copy (other bytes), since the project refuses exact duplicates.
    const drawn = await drawHandImage(pose);
    const bytes =
      i < DEMO_POSES.length
        ? drawn
        : await sharp(drawn)
            .jpeg({ quality: 90 - Math.floor(i / DEMO_POSES.length) })
            .toBuffer();
    const image = await ingestImage({
      projectId: fixture.project.id,
      subjectId: subjects[i % subjects.length].id,
      bytes,
      filename: `${pose.name}-${i}.jpg`,
      uploadedById: fixture.manager.id,
    });
    await acceptedDemoAnnotation(image.id, annotator.id, pose);
  }
  return fixture;
}

/** A subject with consent for `scopes`, and one demo image per pose, labelled and accepted. */
export async function consentingSubjectWithLabels(
  fixture: Awaited<ReturnType<typeof createFixtureProject>>,
  scopes: ("annotation" | "research")[],
  poses: number[],
  annotatorId: string,
) {
  const subject = await createSubject(fixture.project.id, { ageBand: "25-34", monkSkinTone: 5 }, fixture.manager.id);
  await recordConsent(
    fixture.project.id,
    subject.id,
    {
      consentTextId: fixture.text.id,
      scopes,
      biometricNoticeAcknowledged: true,
      signedAt: new Date(Date.now() - 86_400_000),
      jurisdiction: "EU",
      isMinor: false,
    },
    null,
    fixture.manager.id,
  );
  const images: string[] = [];
  for (const index of poses) {
    const pose = DEMO_POSES[index]!;
    const image = await ingestImage({
      projectId: fixture.project.id,
      subjectId: subject.id,
      bytes: await drawHandImage(pose),
      filename: `${pose.name}.jpg`,
      uploadedById: fixture.manager.id,
    });
    images.push(image.id);
    await acceptedDemoAnnotation(image.id, annotatorId, pose);
  }
  return { ...subject, images };
}

/** Runs one queued export to the end (this process claims it) and returns its row and files. */
export async function runQueuedExport(jobId: string) {
  const claim = await claimExportJob();
  expect(claim?.exportId).toBe(jobId);
  const result = await executeExportJob(claim!);
  const row = await db.export.findUniqueOrThrow({ where: { id: jobId } });
  expect(row.status, row.error ?? "").toBe("done");
  return { result: result!, row, files: await unzip(await storage().get(row.archiveKey!)) };
}

export async function exportNow(projectId: string, managerId: string) {
  const job = await requestExport(
    projectId,
    ZExportOptions.parse({ purpose: "research", formats: ["coco"] }),
    managerId,
  );
  return runQueuedExport(job.id);
}

/** An accepted annotation of one image holding the demo pose's hand, as an annotator would have left it. */
export async function acceptedDemoAnnotation(imageId: string, annotatorId: string, pose: (typeof DEMO_POSES)[number]) {
  const hand = demoPoseToHand(pose);
  await db.annotation.create({
    data: {
      imageId,
      annotatorId,
      status: "accepted",
      imageFlags: [],
      qualityFlags: [],
      hands: {
        create: {
          position: 0,
          handedness: hand.handedness,
          keypoints: hand.keypoints,
          bbox: hand.bbox ?? undefined,
          gesture: hand.gesture,
          view: hand.view,
          attributes: {},
          qualityFlags: [],
        },
      },
    },
  });
}
