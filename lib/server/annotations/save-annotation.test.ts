import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors/app-error";
import type { THandInput } from "@/lib/hand/schema";
import { ZSaveAnnotation } from "@/lib/annotate/schema";
import { parseJson } from "@/lib/server/http/route";
import type { z } from "zod";
import { db } from "@/lib/server/db";
import { withdrawConsent } from "@/lib/server/consent/withdraw-consent";
import { claimNextImage } from "@/lib/server/queue/claim-next-image";
import {
  createAnnotators,
  createFixtureProject,
  createSubjectWithImages,
} from "@/lib/server/queue/queue-test-fixtures";
import { AnnotationConflictError, jsonOrConflict } from "./annotation-conflict";
import { getAnnotationForEditor } from "./get-annotation-for-editor";
import { listMyWork } from "./list-my-work";
import { previousHandsOfSubject } from "./find-previous-hands";
import { saveAnnotation } from "./save-annotation";
import { submitAnnotation } from "./submit-annotation";

const MINUTE = 60_000;

function hand(over: Partial<THandInput> = {}, shift = 0): THandInput {
  return {
    handedness: "right",
    keypoints: Array.from({ length: 21 }, (_, j) => ({
      x: 100 + shift + j * 5,
      y: 200 + j * 3,
      state: j === 20 ? "occluded" : "visible",
    })),
    bbox: { x: 90, y: 190, width: 120, height: 80 },
    gesture: "open_palm",
    view: "palm",
    interaction: "none",
    truncated: false,
    skinTone: 5,
    attributes: { ring: true },
    ...over,
  } as THandInput;
}
type TSaveBody = z.input<typeof ZSaveAnnotation>;
const save = (version: number, hands: THandInput[], over: Partial<TSaveBody> = {}): TSaveBody => ({
  version,
  doc: { hands, noHands: false, imageFlags: [] },
  activeMs: 1000,
  ...over,
});

/** Saves as PUT /api/annotations/{id} does: the JSON body parsed at the boundary, then the service. */
async function putSave(annotationId: string, userId: string, body: TSaveBody, now?: Date) {
  const input = await parseJson(
    new Request("http://test.local/", { method: "PUT", body: JSON.stringify(body) }),
    ZSaveAnnotation,
  );
  return saveAnnotation(annotationId, userId, input, now);
}

async function setup() {
  const fixture = await createFixtureProject({ withdrawalPolicy: "quarantine" });
  const { subject, images } = await createSubjectWithImages(fixture, 3, { width: 640, height: 480 });
  const [alice, bob] = await createAnnotators(fixture.project.id, 2);
  const claim = await claimNextImage(fixture.project.id, alice.id);
  if (claim.annotationId === null) throw new Error("no claim");
  return { ...fixture, subject, images, alice, bob, annotationId: claim.annotationId };
}

async function snapshot(annotationId: string) {
  const row = await db.annotation.findUniqueOrThrow({
    where: { id: annotationId },
    include: { hands: { orderBy: { position: "asc" } } },
  });
  return {
    version: row.version,
    status: row.status,
    timeSpentMs: row.timeSpentMs,
    hands: row.hands.map((h) => ({ position: h.position, keypoints: h.keypoints, gesture: h.gesture })),
  };
}

async function appError(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe("saveAnnotation", () => {
  it("stores the hands, bumps the version, adds the active time and renews the lease", async () => {
    const { alice, annotationId, project } = await setup();
    const now = new Date(Date.now() + 5 * MINUTE);
    const result = await putSave(
      annotationId,
      alice.id,
      save(1, [hand(), hand({ handedness: "left", gesture: null, attributes: {} }, 300)], {
        doc: { hands: [hand()], noHands: false, imageFlags: ["blurry"] },
      }),
      now,
    );
    expect(result.version).toBe(2);
    expect(result.leaseExpiresAt!.getTime()).toBe(now.getTime() + project.leaseMinutes * MINUTE);

    const second = await putSave(
      annotationId,
      alice.id,
      save(2, [hand(), hand({ handedness: "left", gesture: null, attributes: {}, bbox: null }, 300)]),
      now,
    );
    expect(second.version).toBe(3);
    const row = await db.annotation.findUniqueOrThrow({
      where: { id: annotationId },
      include: { hands: { orderBy: { position: "asc" } } },
    });
    expect(row).toMatchObject({ version: 3, timeSpentMs: 2000, status: "draft", imageFlags: [] });
    expect(row.hands.map((h) => [h.position, h.handedness, h.gesture])).toEqual([
      [0, "right", "open_palm"],
      [1, "left", null],
    ]);
    expect(row.hands[1].bbox).toBeNull();
    expect((row.hands[0].keypoints as { x: number }[])[3]).toEqual({ x: 115, y: 209, state: "visible" });

    const editor = await getAnnotationForEditor(annotationId, alice.id);
    expect(editor).toMatchObject({
      version: 3,
      status: "draft",
      editable: true,
      readOnlyReason: null,
      image: { width: 640, height: 480 },
    });
    expect(editor.project.gestures).toContain("open_palm");
    expect(editor.doc.hands).toHaveLength(2);
    expect(editor.doc.hands[0].keypoints[20].state).toBe("occluded");
  });

  it("refuses a stale version with a conflict carrying the current document", async () => {
    const { alice, annotationId } = await setup();
    await putSave(annotationId, alice.id, save(1, [hand()]));
    const before = await snapshot(annotationId);
    const error = await appError(putSave(annotationId, alice.id, save(1, [hand(), hand({}, 200)])));
    expect(error).toBeInstanceOf(AnnotationConflictError);
    expect(error.code).toBe("conflict");
    expect(error.message).toMatch(/newer version/);
    const { current } = error as AnnotationConflictError;
    expect(current.version).toBe(2);
    expect(current.doc.hands).toHaveLength(1);
    expect(await snapshot(annotationId)).toEqual(before);

    const response = await jsonOrConflict(() => Promise.reject(error));
    expect(response.status).toBe(409);
    expect(await response.json()).toMatchObject({
      code: "conflict",
      error: error.message,
      current: { version: 2, doc: { hands: [{ handedness: "right" }] } },
    });
  });

  it("lets exactly one of two concurrent saves of the same version win, with nothing partial", async () => {
    const { alice, annotationId } = await setup();
    const one = save(1, [hand()]);
    const three = save(1, [hand({ handedness: "left" }), hand({}, 100), hand({}, 200)]);
    const results = await Promise.allSettled([
      putSave(annotationId, alice.id, one),
      putSave(annotationId, alice.id, three),
    ]);
    const won = results.filter((r) => r.status === "fulfilled");
    const lost = results.filter((r) => r.status === "rejected");
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect((lost[0] as PromiseRejectedResult).reason).toBeInstanceOf(AnnotationConflictError);
    const after = await snapshot(annotationId);
    expect(after.version).toBe(2);
    const winner = results[0].status === "fulfilled" ? 1 : 3;
    expect(after.hands).toHaveLength(winner);
    expect(after.timeSpentMs).toBe(1000);
  });

  it.each([
    [
      "22 keypoints",
      () => hand({ keypoints: [...hand().keypoints, { x: 1, y: 1, state: "visible" }] }),
      "doc.hands.0.keypoints",
    ],
    [
      "a NaN coordinate",
      () => hand({ keypoints: hand().keypoints.map((p, j) => (j === 3 ? { ...p, x: Number.NaN } : p)) }),
      "doc.hands.0.keypoints.3.x",
    ],
    [
      "a point outside the image",
      () => hand({ keypoints: hand().keypoints.map((p, j) => (j === 3 ? { ...p, x: 641 } : p)) }),
      "doc.hands.0.keypoints.3",
    ],
    [
      "an unknown state",
      () => hand({ keypoints: hand().keypoints.map((p, j) => (j === 3 ? { ...p, state: "hidden" as "visible" } : p)) }),
      "doc.hands.0.keypoints.3.state",
    ],
    ["an unknown gesture", () => hand({ gesture: "jazz_hands" }), "doc.hands.0.gesture"],
    ["an unknown hand attribute", () => hand({ attributes: { scar: true } }), "doc.hands.0.attributes.scar"],
  ])("refuses %s with 400 naming the field and changes nothing", async (_name, make, field) => {
    const { alice, annotationId } = await setup();
    await putSave(annotationId, alice.id, save(1, [hand()]));
    const before = await snapshot(annotationId);
    const error = await appError(putSave(annotationId, alice.id, save(2, [make()])));
    expect(error.code).toBe("invalid_input");
    expect(error.status).toBe(400);
    expect(Object.keys(error.fields)).toContain(field);
    expect(await snapshot(annotationId)).toEqual(before);
  });

  it("refuses an unknown image flag and hands on an image marked as having none", async () => {
    const { alice, annotationId } = await setup();
    const flag = await appError(
      putSave(annotationId, alice.id, save(1, [], { doc: { hands: [], noHands: true, imageFlags: ["sepia"] } })),
    );
    expect(flag.fields).toHaveProperty("doc.imageFlags.0");
    const both = await appError(
      putSave(annotationId, alice.id, save(1, [], { doc: { hands: [hand()], noHands: true, imageFlags: [] } })),
    );
    expect(both.fields).toHaveProperty("doc.noHands");
    expect((await snapshot(annotationId)).version).toBe(1);
  });

  it("treats another person's annotation, and an unknown one, as not found", async () => {
    const { bob, annotationId } = await setup();
    for (const attempt of [
      putSave(annotationId, bob.id, save(1, [hand()])),
      submitAnnotation(annotationId, bob.id, { version: 1 }),
      getAnnotationForEditor(annotationId, bob.id),
      putSave("no-such-annotation", bob.id, save(1, [hand()])),
    ]) {
      expect((await appError(attempt)).code).toBe("not_found");
    }
    expect((await snapshot(annotationId)).version).toBe(1);
  });

  it("refuses saving after the subject withdrew consent, with 409", async () => {
    const { alice, annotationId, project, subject, manager } = await setup();
    await putSave(annotationId, alice.id, save(1, [hand()]));
    await withdrawConsent(project.id, subject.id, { reason: "asked in person", channel: "in_person" }, manager.id);
    const error = await appError(putSave(annotationId, alice.id, save(2, [hand(), hand({}, 100)])));
    expect(error.code).toBe("conflict");
    expect(error.status).toBe(409);
    expect(error.message).toMatch(/consent was withdrawn; this image left the queue/i);
    expect((await snapshot(annotationId)).hands).toHaveLength(1);
    const editor = await getAnnotationForEditor(annotationId, alice.id);
    expect(editor.editable).toBe(false);
    expect((await listMyWork(project.id, alice.id)).drafts).toEqual([]);
  });
});

describe("submitAnnotation", () => {
  it("refuses incomplete labels with 400 listing the problems per hand", async () => {
    const { alice, annotationId } = await setup();
    const sparse = hand({
      handedness: "unknown",
      keypoints: hand().keypoints.map((p, j) => (j > 3 ? { ...p, state: "absent" as const } : p)),
    });
    await putSave(annotationId, alice.id, save(1, [hand(), sparse]));
    const error = await appError(submitAnnotation(annotationId, alice.id, { version: 2 }));
    expect(error.code).toBe("invalid_input");
    expect(Object.keys(error.fields)).toEqual(["hands.1"]);
    expect(error.fields["hands.1"]).toMatch(/set left or right/);
    expect(error.fields["hands.1"]).toMatch(/at least 5 joints/);
    expect(await snapshot(annotationId)).toMatchObject({ status: "draft", version: 2 });

    const empty = await setup();
    const nothing = await appError(submitAnnotation(empty.annotationId, empty.alice.id, { version: 1 }));
    expect(nothing.fields).toHaveProperty("hands");
  });

  it("hands in complete labels; later saves are refused as already submitted", async () => {
    const { alice, annotationId, project, images } = await setup();
    await putSave(annotationId, alice.id, save(1, [hand()]));
    const stale = await appError(submitAnnotation(annotationId, alice.id, { version: 1 }));
    expect(stale).toBeInstanceOf(AnnotationConflictError);

    const result = await submitAnnotation(annotationId, alice.id, { version: 2 });
    expect(result).toMatchObject({ status: "submitted", version: 3 });
    const row = await db.annotation.findUniqueOrThrow({ where: { id: annotationId } });
    expect(row).toMatchObject({ status: "submitted", leaseExpiresAt: null, version: 3 });
    expect(row.submittedAt).toBeInstanceOf(Date);
    expect(await db.auditEvent.count({ where: { action: "annotation.submitted", targetId: annotationId } })).toBe(1);

    const after = await appError(putSave(annotationId, alice.id, save(3, [hand(), hand({}, 100)])));
    expect(after.code).toBe("conflict");
    expect(after.message).toMatch(/already submitted/);
    expect(await snapshot(annotationId)).toMatchObject({ version: 3, status: "submitted" });
    expect((await appError(submitAnnotation(annotationId, alice.id, { version: 3 }))).message).toMatch(
      /already submitted/,
    );

    // The annotator's lists and "copy the hands of the previous image" see it.
    const next = await claimNextImage(project.id, alice.id);
    expect(next.imageId).toBe(images[1].id);
    const previous = await previousHandsOfSubject(next.annotationId!, alice.id);
    expect(previous.source).toMatchObject({ annotationId, imageId: images[0].id, width: 640, height: 480 });
    expect(previous.hands).toHaveLength(1);
    expect(previous.hands[0].handedness).toBe("right");
    const work = await listMyWork(project.id, alice.id);
    expect(work.drafts.map((d) => d.annotationId)).toEqual([next.annotationId]);
    expect(work.submitted.map((d) => d.annotationId)).toEqual([annotationId]);
    expect(work).toMatchObject({ submittedTotal: 1, returned: [] });
  });

  it("lets returned work be edited and submitted again", async () => {
    const { alice, annotationId, manager, project } = await setup();
    await putSave(annotationId, alice.id, save(1, [hand()]));
    await submitAnnotation(annotationId, alice.id, { version: 2 });
    await db.annotation.update({ where: { id: annotationId }, data: { status: "rejected" } });
    await db.review.create({
      data: {
        annotationId,
        reviewerId: manager.id,
        projectId: project.id,
        decision: "reject",
        comment: "Thumb tip is on the nail",
        decidedAt: new Date(),
        pins: { create: { x: 10, y: 10, handIndex: 0, jointIndex: 4, message: "here" } },
      },
    });
    const editor = await getAnnotationForEditor(annotationId, alice.id);
    expect(editor).toMatchObject({
      editable: true,
      status: "rejected",
      review: { comment: "Thumb tip is on the nail", pins: [{ jointIndex: 4 }] },
    });
    const saved = await putSave(annotationId, alice.id, save(3, [hand({}, 2)]));
    expect(saved).toMatchObject({ version: 4, leaseExpiresAt: null });
    expect(await submitAnnotation(annotationId, alice.id, { version: 4 })).toMatchObject({
      status: "submitted",
      version: 5,
    });
  });

  it("refuses saving a draft whose lease expired and whose image went back to the queue", async () => {
    const { alice, bob, annotationId, project } = await setup();
    const later = new Date(Date.now() + 31 * MINUTE);
    await claimNextImage(project.id, bob.id, later);
    const error = await appError(putSave(annotationId, alice.id, save(1, [hand()]), later));
    expect(error.code).toBe("conflict");
    expect(error.message).toMatch(/expired/);
  });
});
