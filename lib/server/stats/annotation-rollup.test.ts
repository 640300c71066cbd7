/**
 * The dashboard rollup always equals a recomputation from scratch: random work through the app's own write
 * paths (claims with expiring leases, saves, submits, skips, review claims and decisions, some of them at the
 * same time), and after every round the rollup is compared with `statsGroupsSql` / `flagCountsSql`. Runs on
 * the lane's database (SQLite, or PostgreSQL with PHALANX_TEST_DB=postgresql).
 */
import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors/app-error";
import type { THand } from "@/lib/hand/schema";
import { saveAnnotation } from "@/lib/server/annotations/save-annotation";
import { skipAnnotation } from "@/lib/server/annotations/skip-annotation";
import { submitAnnotation } from "@/lib/server/annotations/submit-annotation";
import { withdrawConsent } from "@/lib/server/consent/withdraw-consent";
import { db } from "@/lib/server/db";
import { claimNextImage } from "@/lib/server/queue/claim-next-image";
import {
  createAnnotators,
  createFixtureProject,
  createSubjectWithImages,
} from "@/lib/server/queue/queue-test-fixtures";
import { claimNextReview } from "@/lib/server/review/claim-next-review";
import { decideReview } from "@/lib/server/review/decide-review";
import { openHand } from "@/lib/server/review/review-test-fixtures";
import { expectRollupEqualsRecomputation } from "./rollup-test-helpers";

const MINUTE = 60_000;

/** An open left hand seen from the palm; labelled "right" it carries a strong handedness flag. */
const hand = (handedness: "left" | "right", dx = 0): THand => openHand({ handedness, shift: dx });

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
    // Whether the walk hands an image in twice depends on timing under concurrency (PostgreSQL CI once reached
    // none), so the pair marker is not required here: each check above compares it with the recomputation.
  }, 240_000);
});
