import "server-only";
/** Test fixtures for export tests: a project with consenting subjects and accepted labels on real ingested images. */
import sharp from "sharp";
import { DEMO_POSES, demoPoseToHand } from "@/lib/demo/poses";
import { drawHandImage } from "@/lib/demo/draw-hand";
import { db } from "@/lib/server/db";
import { ingestImage } from "@/lib/server/images/ingest-image";
import { createAnnotators, createFixtureProject, createSubjectWithImages } from "@/lib/server/queue/queue-test-fixtures";

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
    const bytes = i < DEMO_POSES.length ? drawn : await sharp(drawn).jpeg({ quality: 90 - Math.floor(i / DEMO_POSES.length) }).toBuffer();
    const image = await ingestImage({ projectId: fixture.project.id, subjectId: subjects[i % subjects.length].id, bytes, filename: `${pose.name}-${i}.jpg`, uploadedById: fixture.manager.id });
    const hand = demoPoseToHand(pose);
    await db.annotation.create({
      data: {
        imageId: image.id, annotatorId: annotator.id, status: "accepted", imageFlags: [], qualityFlags: [],
        hands: { create: { position: 0, handedness: hand.handedness, keypoints: hand.keypoints, bbox: hand.bbox ?? undefined, gesture: hand.gesture, view: hand.view, attributes: {}, qualityFlags: [] } },
      },
    });
  }
  return fixture;
}
