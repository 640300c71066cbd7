/**
 * The dashboard rollup always equals a recomputation from scratch: random work through the app's own write
 * paths (claims with expiring leases, saves, submits, skips, review claims and decisions, some of them at the
 * same time), and after every round the rollup is compared with `statsGroupsSql` / `flagCountsSql`. Runs on
 * the lane's database (SQLite, or PostgreSQL with PHALANX_TEST_DB=postgresql).
 */
import { describe, expect, it } from "vitest";
import { databaseTarget } from "@/lib/env";
import { AppError } from "@/lib/errors/app-error";
import type { THand } from "@/lib/hand/schema";
import { labelStatusOf } from "@/lib/images/gallery-filters";
import { saveAnnotation } from "@/lib/server/annotations/save-annotation";
import { skipAnnotation } from "@/lib/server/annotations/skip-annotation";
import { submitAnnotation } from "@/lib/server/annotations/submit-annotation";
import { withdrawConsent } from "@/lib/server/consent/withdraw-consent";
import { db } from "@/lib/server/db";
import { Prisma } from "@/lib/server/db/generated/sqlite/client";
import { claimNextImage } from "@/lib/server/queue/claim-next-image";
import {
  createAnnotators,
  createFixtureProject,
  createSubjectWithImages,
} from "@/lib/server/queue/queue-test-fixtures";
import { claimNextReview } from "@/lib/server/review/claim-next-review";
import { decideReview } from "@/lib/server/review/decide-review";
import { ROLLUP_FIGURES } from "@/lib/stats/annotation-contribution";
import { flagCountsSql, readProjectRollup, statsGroupsSql } from "./project-stats";

const postgres = databaseTarget().provider === "postgresql";
const MINUTE = 60_000;

/** An open left hand seen from the palm; labelled "right" it carries a strong handedness flag. */
const point = (joint: number, dx: number) =>
  joint === 0
    ? { x: 320 + dx, y: 420 }
    : { x: 200 + dx + Math.floor((joint - 1) / 4) * 60, y: 330 - ((joint - 1) % 4) * 45 };
const hand = (handedness: "left" | "right", dx = 0): THand => ({
  handedness,
  bbox: null,
  bboxEdited: false,
  gesture: null,
  view: "palm",
  interaction: "none",
  truncated: false,
  skinTone: null,
  attributes: {},
  keypoints: Array.from({ length: 21 }, (_, j) => ({ ...point(j, dx), state: "visible" as const })),
});

/** Deterministic PRNG (mulberry32) so a failure can be replayed. */
function prng(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FLOAT_FIGURES = new Set(["activeMs", "goldSum", "correctionSum"]);

async function expectRollupEqualsRecomputation(projectId: string) {
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

describe("annotation rollup", () => {
  it("equals a recomputation from scratch after random work through the app's write paths", async () => {
    const fixture = await createFixtureProject({ annotationsPerImage: 2, leaseMinutes: 5 });
    const projectId = fixture.project.id;
    await db.project.update({ where: { id: projectId }, data: { reviewSampleRate: 0.6 } });
    await createSubjectWithImages(fixture, 10);
    const { subject: leaving, images: leavingImages } = await createSubjectWithImages(fixture, 4);
    // Drawn for double annotation (the ingest draws them; the fixture writes images directly).
    await db.image.updateMany({
      where: { id: { in: leavingImages.slice(0, 2).map((i) => i.id) } },
      data: { doubleAnnotate: true },
    });
    const annotators = await createAnnotators(projectId, 4);
    const reviewer = fixture.manager.id;
    const random = prng(18);
    const pick = <T>(items: T[]) => items[Math.floor(random() * items.length)]!;
    let now = Date.now();
    const ops: Record<string, number> = {};
    const counted = (name: string) => (ops[name] = (ops[name] ?? 0) + 1);

    /** One random step; refusals (stale versions, expired leases, empty queues) are part of real work. */
    async function step() {
      const roll = random();
      const mine = await db.annotation.findMany({
        where: { image: { projectId }, status: { in: ["draft", "rejected"] } },
        select: { id: true, annotatorId: true, version: true, status: true, leaseExpiresAt: true },
        orderBy: { id: "asc" },
      });
      try {
        if (roll < 0.25 || mine.length === 0) {
          const who = pick(annotators)!;
          await claimNextImage(projectId, who.id, new Date(now), random);
          counted("claim");
        } else if (roll < 0.5) {
          const a = pick(mine);
          const hands =
            random() < 0.15
              ? []
              : [hand(random() < 0.3 ? "right" : "left"), ...(random() < 0.3 ? [hand("left", 300)] : [])];
          await saveAnnotation(
            a.id,
            a.annotatorId,
            {
              version: a.version,
              doc: { hands, noHands: hands.length === 0, imageFlags: [] },
              activeMs: Math.floor(random() * 20_000),
            },
            new Date(now),
          );
          counted("save");
        } else if (roll < 0.7) {
          const a = pick(mine);
          await submitAnnotation(a.id, a.annotatorId, { version: a.version }, new Date(now));
          counted("submit");
        } else if (roll < 0.75) {
          const a = pick(mine);
          await skipAnnotation(a.id, a.annotatorId, { reason: "Hands cut off" });
          counted("skip");
        } else {
          const claim = await claimNextReview(projectId, reviewer, new Date(now));
          if (!claim.reviewId) return;
          const annotation = await db.annotation.findUniqueOrThrow({
            where: { id: claim.annotationId! },
            select: { version: true },
          });
          const which = random();
          await decideReview(
            claim.reviewId,
            reviewer,
            which < 0.4
              ? { decision: "accept", version: annotation.version, comment: "" }
              : which < 0.8
                ? { decision: "reject", version: annotation.version, comment: "Check the thumb", pins: [] }
                : {
                    decision: "fix_and_accept",
                    version: annotation.version,
                    comment: "",
                    doc: { hands: [hand("left"), hand("right", 300)], noHands: false, imageFlags: [] },
                  },
            new Date(now),
          );
          counted("review");
        }
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        counted("refused");
      }
    }

    const seen = new Set<string>();
    for (let round = 0; round < 12; round++) {
      for (let i = 0; i < 6; i++) await step();
      // Some work at the same moment (the rollup's increments and locks under concurrency).
      await Promise.all([step(), step(), step()]);
      // Time passes: sometimes beyond the lease, so the next claim expires drafts.
      now += random() < 0.3 ? 6 * MINUTE : 20_000;
      // Halfway: a subject withdraws consent (their images leave the queue, open claims are released).
      if (round === 6) {
        await withdrawConsent(projectId, leaving.id, { reason: "Changed my mind", channel: "email" }, reviewer);
        await expectRollupEqualsRecomputation(projectId);
        await db.image.updateMany({ where: { subjectId: leaving.id }, data: { state: "active" } });
      }
      await expectRollupEqualsRecomputation(projectId);
      const statuses = await db.annotation.groupBy({ by: ["status"], where: { image: { projectId } }, _count: true });
      for (const { status } of statuses) seen.add(status);
    }
    const total = await expectRollupEqualsRecomputation(projectId);
    expect(total).toBeGreaterThan(10);
    for (const op of ["claim", "save", "submit", "review"]) expect(ops[op], `${op} ran`).toBeGreaterThan(0);
    // The random walk went through every status the rollup keys on.
    // (Which of the rarer ones it reaches depends on timing under concurrency: at least five of the six.)
    expect([...seen]).toEqual(expect.arrayContaining(["accepted", "draft", "submitted"]));
    expect(seen.size).toBeGreaterThanOrEqual(5);
    // Two labellings per image: some images were handed in twice, so the pair marker was exercised.
    expect(await db.image.count({ where: { projectId, doublyLabelled: true } })).toBeGreaterThan(0);
  }, 240_000);
});
