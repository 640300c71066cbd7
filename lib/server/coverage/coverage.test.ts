import { describe, expect, it } from "vitest";
import { db } from "@/lib/server/db";
import {
  createAnnotators,
  createFixtureProject,
  createSubjectWithImages,
  type TFixtureProject,
} from "@/lib/server/queue/queue-test-fixtures";
import { handRows } from "@/lib/server/annotations/read-annotation-doc";
import type { THand } from "@/lib/hand/schema";
import { refreshHandCoverage } from "./hand-columns";
import { ZCoverageQuery } from "@/lib/coverage/query";
import { getCoverage } from "./coverage-report";
import { createTarget } from "./coverage-targets";
import { withdrawConsent } from "@/lib/server/consent/withdraw-consent";

const visible = Array.from({ length: 21 }, (_, i) => ({ x: 10 + i, y: 20 + i, state: "visible" as const }));
const halfHidden = visible.map((p, i) => (i < 11 ? { ...p, state: "occluded" as const } : p));
const hand = (over: Partial<THand>): THand => ({
  handedness: "right",
  keypoints: visible,
  bbox: null,
  bboxEdited: false,
  gesture: "open_palm",
  view: "palm",
  interaction: "none",
  truncated: false,
  skinTone: 3,
  attributes: {},
  ...over,
});

async function label(
  fixture: TFixtureProject,
  imageId: string,
  annotatorId: string,
  status: string,
  hands: THand[],
  imageFlags: string[] = [],
) {
  return db.$transaction(async (tx) => {
    const annotation = await tx.annotation.create({
      data: { imageId, annotatorId, status, imageFlags, qualityFlags: [] },
    });
    await tx.hand.createMany({ data: handRows(annotation.id, hands, []) });
    await refreshHandCoverage(tx, annotation.id);
    return annotation;
  });
}

describe("coverage", () => {
  it("counts accepted and labelled hands per dimension, in two-way tables and against targets", async () => {
    const fixture = await createFixtureProject();
    const [annotator] = await createAnnotators(fixture.project.id, 1);
    const dark = await createSubjectWithImages(fixture, 3);
    await db.subject.update({ where: { id: dark.subject.id }, data: { monkSkinTone: 9, ageBand: "25-34" } });
    const light = await createSubjectWithImages(fixture, 2);
    await db.subject.update({ where: { id: light.subject.id }, data: { monkSkinTone: 2 } });

    await label(
      fixture,
      dark.images[0].id,
      annotator.id,
      "accepted",
      [
        hand({ skinTone: 9, interaction: "holding_object" }),
        hand({ skinTone: 9, handedness: "left", keypoints: halfHidden }),
      ],
      ["low_light", "blurry"],
    );
    await label(fixture, dark.images[1].id, annotator.id, "submitted", [
      hand({ skinTone: 8, gesture: "fist", view: "back" }),
    ]);
    await label(fixture, dark.images[2].id, annotator.id, "draft", [hand({ skinTone: 10 })]);
    await label(fixture, light.images[0].id, annotator.id, "accepted", [
      hand({ skinTone: 2, gesture: "fist", truncated: true }),
    ]);
    const gold = await label(fixture, light.images[1].id, annotator.id, "accepted", [hand({ skinTone: 2 })]);
    await db.annotation.update({ where: { id: gold.id }, data: { goldScore: 0.9 } });
    await db.$transaction((tx) => refreshHandCoverage(tx, gold.id));

    await createTarget(
      fixture.project.id,
      { name: "Dark skin", kind: "min_count", value: 5, cell: { skinToneBand: ["8-10"] }, each: null },
      fixture.manager.id,
    );
    await createTarget(
      fixture.project.id,
      { name: "Not too many palms", kind: "max_share", value: 0.5, cell: { view: ["palm"] }, each: null },
      fixture.manager.id,
    );
    await createTarget(
      fixture.project.id,
      {
        name: "Holding, each band",
        kind: "min_count",
        value: 2,
        cell: { interaction: ["holding_object"] },
        each: "subjectSkinToneBand",
      },
      fixture.manager.id,
    );

    const accepted = await getCoverage(fixture.project.id, ZCoverageQuery.parse({ x: "skinToneBand", y: "occlusion" }));
    expect(accepted.totalHands).toBe(3); // the draft, the submitted work and the gold run are not counted
    const marginal = (d: string) =>
      Object.fromEntries(accepted.marginals.find((m) => m.dimension === d)!.values.map((v) => [v.value, v.hands]));
    expect(marginal("skinTone")).toMatchObject({ "9": 2, "2": 1, "10": 0 });
    expect(marginal("condition")).toMatchObject({ low_light: 2, blurry: 2, none: 1 });
    expect(marginal("truncation")).toMatchObject({ whole: 2, truncated: 1 });
    expect(marginal("occlusion")).toMatchObject({ none: 2, high: 1 });
    expect(marginal("subjectSkinTone")).toMatchObject({ "9": 2, "2": 1 });
    expect(marginal("ageBand")).toMatchObject({ "25-34": 2, "not given": 1 });
    const { pair } = accepted;
    const at = (x: string, y: string) =>
      pair.counts[pair.yValues.findIndex((v) => v.value === y)][pair.xValues.findIndex((v) => v.value === x)];
    expect(at("8-10", "high")).toBe(1);
    expect(at("8-10", "none")).toBe(1);
    expect(at("1-3", "none")).toBe(1);

    const line = (name: string) => accepted.targets.filter((t) => t.targetName === name);
    expect(line("Dark skin")[0]).toMatchObject({ hands: 2, gap: 3, met: false });
    // 3 of 3 accepted hands are palm-view: 1.5 over a 50% limit → 2 hands over.
    expect(line("Not too many palms")[0]).toMatchObject({ hands: 3, gap: 2, met: false });
    const holding = line("Holding, each band");
    expect(holding.find((l) => l.cell.subjectSkinToneBand?.[0] === "8-10")).toMatchObject({
      hands: 1,
      subjects: 1,
      gap: 1,
      demographic: true,
    });
    // Largest gaps first; the shot list leaves out "at most" targets.
    expect(accepted.targets[0].targetName).toBe("Dark skin");
    expect(accepted.shots.map((s) => s.target)).not.toContain("Not too many palms");

    const labelled = await getCoverage(fixture.project.id, ZCoverageQuery.parse({ scope: "labelled" }));
    expect(labelled.totalHands).toBe(4);
    // A withdrawal takes the subject's hands out of coverage at once.
    await withdrawConsent(
      fixture.project.id,
      light.subject.id,
      { reason: "asked", channel: "email" },
      fixture.manager.id,
    );
    expect((await getCoverage(fixture.project.id, ZCoverageQuery.parse({}))).totalHands).toBe(2);
    const later = await getCoverage(
      fixture.project.id,
      ZCoverageQuery.parse({ from: new Date(Date.now() + 60_000).toISOString() }),
    );
    expect(later.totalHands).toBe(0);
  });

  it("counts an image labelled twice once: the labelling an export would take", async () => {
    const fixture = await createFixtureProject();
    const [first, second] = await createAnnotators(fixture.project.id, 2);
    const { images } = await createSubjectWithImages(fixture, 1);
    await db.image.update({ where: { id: images[0].id }, data: { doubleAnnotate: true } });
    await label(fixture, images[0].id, first.id, "accepted", [hand({ gesture: "fist" }), hand({ handedness: "left" })]);
    const later = await label(fixture, images[0].id, second.id, "submitted", [hand({ gesture: "open_palm" })]);
    const count = async (scope: "accepted" | "labelled") => {
      const report = await getCoverage(fixture.project.id, ZCoverageQuery.parse({ scope }));
      const gestures = report.marginals.find((m) => m.dimension === "gesture")!.values;
      return { total: report.totalHands, fist: gestures.find((v) => v.value === "fist")?.hands ?? 0 };
    };
    // The accepted labelling counts in both scopes; the second annotator's waiting copy in neither.
    expect(await count("accepted")).toEqual({ total: 2, fist: 1 });
    expect(await count("labelled")).toEqual({ total: 2, fist: 1 });

    // Both accepted: the more recently accepted one counts, and only it.
    await db.$transaction(async (tx) => {
      await tx.annotation.update({ where: { id: later.id }, data: { status: "accepted" } });
      await refreshHandCoverage(tx, later.id);
    });
    expect(await count("accepted")).toEqual({ total: 1, fist: 0 });
    expect(await count("labelled")).toEqual({ total: 1, fist: 0 });
  });

  it("backfills hands written without coverage columns before counting them", async () => {
    const fixture = await createFixtureProject();
    const [annotator] = await createAnnotators(fixture.project.id, 1);
    const { images } = await createSubjectWithImages(fixture, 1);
    const annotation = await db.annotation.create({
      data: {
        imageId: images[0].id,
        annotatorId: annotator.id,
        status: "accepted",
        imageFlags: ["blurry"],
        qualityFlags: [],
      },
    });
    await db.hand.create({
      data: {
        annotationId: annotation.id,
        position: 0,
        handedness: "left",
        keypoints: halfHidden,
        attributes: {},
        qualityFlags: [],
        skinTone: 5,
      },
    });
    const report = await getCoverage(fixture.project.id, ZCoverageQuery.parse({}));
    expect(report.totalHands).toBe(1);
    expect(
      report.marginals.find((m) => m.dimension === "occlusion")!.values.find((v) => v.value === "high")!.hands,
    ).toBe(1);
    expect(
      report.marginals.find((m) => m.dimension === "condition")!.values.find((v) => v.value === "blurry")!.hands,
    ).toBe(1);
  });
});
