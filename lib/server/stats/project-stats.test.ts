import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors/app-error";
import { db } from "@/lib/server/db";
import {
  createAnnotators,
  createFixtureProject,
  createSubjectWithImages,
} from "@/lib/server/queue/queue-test-fixtures";
import { getProjectStats } from "./project-stats";

const strong = (code: string) => ({ code, severity: "strong", message: "Looks wrong", joints: [1, 2], hand: 0 });
const warning = (code: string) => ({ code, severity: "warning", message: "Have a look", joints: [5], hand: 0 });
const keypoints = Array.from({ length: 21 }, (_, i) => ({ x: 10 + i, y: 20 + i, state: "visible" }));

type TAnnotationSpec = {
  imageId: string;
  annotatorId: string;
  status: string;
  hands: number;
  timeSpentMs: number;
  qualityFlags?: unknown[];
  goldScore?: number | null;
  reviews?: { reviewerId: string; decision: string | null; round?: number }[];
};

async function annotate(spec: TAnnotationSpec) {
  const annotation = await db.annotation.create({
    data: {
      imageId: spec.imageId,
      annotatorId: spec.annotatorId,
      status: spec.status,
      timeSpentMs: spec.timeSpentMs,
      imageFlags: [],
      qualityFlags: (spec.qualityFlags ?? []) as never,
      goldScore: spec.goldScore ?? null,
      isGold: spec.goldScore != null,
      submittedAt: ["submitted", "accepted", "rejected"].includes(spec.status) ? new Date() : null,
      leaseExpiresAt: spec.status === "draft" ? new Date(Date.now() + 600_000) : null,
    },
    include: { image: { select: { projectId: true } } },
  });
  for (let position = 0; position < spec.hands; position++) {
    await db.hand.create({
      data: {
        annotationId: annotation.id,
        position,
        handedness: position ? "left" : "right",
        keypoints,
        attributes: [],
        qualityFlags: [],
      },
    });
  }
  for (const [i, review] of (spec.reviews ?? []).entries()) {
    await db.review.create({
      data: {
        annotationId: annotation.id,
        reviewerId: review.reviewerId,
        projectId: annotation.image.projectId,
        round: review.round ?? i + 1,
        decision: review.decision,
        decidedAt: review.decision ? new Date() : null,
      },
    });
  }
  return annotation;
}

describe("getProjectStats", () => {
  it("computes per-annotator and per-project figures on a hand-made dataset", async () => {
    const fixture = await createFixtureProject({ annotationsPerImage: 2 });
    const projectId = fixture.project.id;
    const { images } = await createSubjectWithImages(fixture, 6);
    const {
      images: [quarantined],
    } = await createSubjectWithImages(fixture, 1, { state: "quarantined" });
    const [ada, bea, cy] = await createAnnotators(projectId, 3);
    await db.user.update({ where: { id: ada!.id }, data: { name: "Ada" } });
    await db.user.update({ where: { id: bea!.id }, data: { name: "Bea" } });
    await db.user.update({ where: { id: cy!.id }, data: { name: "Cy (never annotated)" } });
    const reviewer = fixture.manager.id;
    const [i0, i1, i2, i3, i4] = images.map((image) => image.id) as [string, string, string, string, string, string];

    // Ada: 5 annotations.
    await annotate({
      imageId: i0,
      annotatorId: ada!.id,
      status: "accepted",
      hands: 2,
      timeSpentMs: 60_000,
      goldScore: 0.9,
      qualityFlags: [strong("finger-order"), warning("phalanx-ratio")],
      reviews: [{ reviewerId: reviewer, decision: "accept" }],
    });
    await annotate({
      imageId: i1,
      annotatorId: ada!.id,
      status: "accepted",
      hands: 1,
      timeSpentMs: 30_000,
      qualityFlags: [warning("phalanx-ratio")],
    }); // accepted without review
    await annotate({
      imageId: i2,
      annotatorId: ada!.id,
      status: "rejected",
      hands: 1,
      timeSpentMs: 30_000,
      goldScore: 0.5,
      reviews: [{ reviewerId: reviewer, decision: "reject" }],
    });
    await annotate({
      imageId: i3,
      annotatorId: ada!.id,
      status: "submitted",
      hands: 2,
      timeSpentMs: 120_000,
      reviews: [{ reviewerId: reviewer, decision: null }],
    }); // claimed by a reviewer, undecided
    await annotate({ imageId: i4, annotatorId: ada!.id, status: "skipped", hands: 0, timeSpentMs: 9_000 });
    // Bea: 3 annotations, one on a quarantined image (still counted in her figures).
    await annotate({
      imageId: i0,
      annotatorId: bea!.id,
      status: "accepted",
      hands: 1,
      timeSpentMs: 45_000,
      qualityFlags: [strong("outside-image")],
      reviews: [
        { reviewerId: reviewer, decision: "reject" },
        { reviewerId: reviewer, decision: "fix_and_accept" },
      ],
    });
    await annotate({
      imageId: i1,
      annotatorId: bea!.id,
      status: "draft",
      hands: 1,
      timeSpentMs: 500_000,
      qualityFlags: [strong("finger-order")],
    });
    await annotate({ imageId: quarantined!.id, annotatorId: bea!.id, status: "expired", hands: 0, timeSpentMs: 1_000 });

    // Another project's annotations never leak in.
    const other = await createFixtureProject();
    const {
      images: [foreign],
    } = await createSubjectWithImages(other, 1);
    await annotate({ imageId: foreign!.id, annotatorId: ada!.id, status: "accepted", hands: 3, timeSpentMs: 1_000 });

    const stats = await getProjectStats(projectId);

    expect(stats.annotators.map((a) => a.name)).toEqual(["Ada", "Bea"]);
    const [a, b] = stats.annotators;
    expect(a).toMatchObject({
      annotations: 5,
      submitted: 4,
      accepted: 2,
      returned: 1,
      decided: 3,
      skipped: 1,
      hands: 6,
      activeMs: 240_000,
      goldCount: 2,
      strongFlagged: 1,
      anyFlagged: 2,
    });
    expect(a!.handsPerHour).toBeCloseTo(6 / (240 / 3600)); // 90 hands per hour
    expect(a!.secondsPerHand).toBeCloseTo(40);
    expect(a!.acceptanceRate).toBeCloseTo(2 / 3);
    expect(a!.meanGoldOks).toBeCloseTo(0.7);
    expect(a!.strongFlagRate).toBeCloseTo(0.25);
    expect(a!.anyFlagRate).toBeCloseTo(0.5);

    expect(b).toMatchObject({
      annotations: 3,
      submitted: 1,
      accepted: 1,
      returned: 1,
      decided: 1,
      hands: 1,
      activeMs: 45_000,
      goldCount: 0,
      meanGoldOks: null,
      strongFlagRate: 1,
      acceptanceRate: 1,
    });
    expect(b!.handsPerHour).toBeCloseTo(80);

    expect(stats.totalAnnotations).toBe(8);
    expect(Object.fromEntries(stats.statusCounts.map((s) => [s.status, s.count]))).toEqual({
      draft: 1,
      submitted: 1,
      accepted: 3,
      rejected: 1,
      skipped: 1,
      expired: 1,
    });
    expect(stats.flagsByCode).toEqual([
      { code: "phalanx-ratio", strong: 0, warning: 2, total: 2 },
      { code: "finger-order", strong: 1, warning: 0, total: 1 },
      { code: "outside-image", strong: 1, warning: 0, total: 1 },
    ]);
    // 6 active images, 2 slots each. Slot-holding: i0 2, i1 2 (accepted + draft), i2 1, i3 1, i4 0 (skipped), i5 0.
    expect(stats.queue).toEqual({
      activeImages: 6,
      imagesWaiting: 4,
      openSlots: 1 + 1 + 2 + 2,
      reviewsWaiting: 1,
      annotationsPerImage: 2,
    });
    expect(stats.overall).toMatchObject({ annotations: 8, submitted: 5, accepted: 3, decided: 4, hands: 7 });
  });

  it("has empty figures for a project without annotations, and every image waiting", async () => {
    const fixture = await createFixtureProject();
    await createSubjectWithImages(fixture, 3);
    const stats = await getProjectStats(fixture.project.id);
    expect(stats.annotators).toEqual([]);
    expect(stats.totalAnnotations).toBe(0);
    expect(stats.flagsByCode).toEqual([]);
    expect(stats.queue).toEqual({
      activeImages: 3,
      imagesWaiting: 3,
      openSlots: 3,
      reviewsWaiting: 0,
      annotationsPerImage: 1,
    });
  });

  it("reads large projects in batches (more annotations and annotators than one batch)", async () => {
    const fixture = await createFixtureProject();
    const { images } = await createSubjectWithImages(fixture, 3);
    const tag = Math.random().toString(36).slice(2, 8);
    await db.user.createMany({
      data: Array.from({ length: 600 }, (_, i) => ({
        email: `bulk-${tag}-${i}@example.test`,
        name: `Bulk ${String(i).padStart(3, "0")}`,
        passwordHash: "x",
      })),
    });
    const users = await db.user.findMany({ where: { email: { startsWith: `bulk-${tag}-` } }, select: { id: true } });
    await db.annotation.createMany({
      data: images.flatMap((image) =>
        users.map((user) => ({
          imageId: image.id,
          annotatorId: user.id,
          status: "accepted",
          timeSpentMs: 1_000,
          imageFlags: [],
          qualityFlags: [],
        })),
      ),
    });
    const stats = await getProjectStats(fixture.project.id);
    expect(stats.totalAnnotations).toBe(1800);
    expect(stats.annotators).toHaveLength(600);
    expect(stats.annotators.every((a) => a.annotations === 3 && a.name.startsWith("Bulk "))).toBe(true);
    expect(stats.overall.accepted).toBe(1800);
  });

  it("answers not_found for an unknown project", async () => {
    await expect(getProjectStats("no-such-project")).rejects.toBeInstanceOf(AppError);
  });
});
