import { describe, expect, it } from "vitest";
import { parseBrowserFilters, ZLabelBrowserFilters } from "@/lib/labels/browser-filters";
import { db } from "@/lib/server/db";
import {
  createAnnotators,
  createFixtureProject,
  createSubjectWithImages,
} from "@/lib/server/queue/queue-test-fixtures";
import { browseLabels } from "./browse-labels";

const filters = (value: Record<string, unknown>) => ZLabelBrowserFilters.parse(value);
const flag = (code: string, severity = "strong") => ({ code, severity, message: code, joints: [0], hand: 0 });

describe("browseLabels: the dataset browser's filters run in SQL and page by keyset", () => {
  it("filters by status, flag code, gesture, view, annotator, gold and source, and pages newest first", async () => {
    const fixture = await createFixtureProject();
    const projectId = fixture.project.id;
    const { images } = await createSubjectWithImages(fixture, 6);
    const [ann, bob] = await createAnnotators(projectId, 2);
    const made: string[] = [];
    const specs = [
      { who: ann, status: "accepted", source: "manual", gold: true, flags: [], gesture: "fist", view: "palm" },
      {
        who: bob,
        status: "accepted",
        source: "imported",
        gold: false,
        flags: [flag("finger-order")],
        gesture: "fist",
        view: "back",
      },
      {
        who: ann,
        status: "submitted",
        source: "model_assisted",
        gold: false,
        flags: [flag("phalanx-ratio", "warning")],
        gesture: "open_palm",
        view: "back",
      },
      { who: bob, status: "draft", source: "manual", gold: false, flags: [], gesture: null, view: null },
      {
        who: ann,
        status: "rejected",
        source: "manual",
        gold: false,
        flags: [flag("finger-order"), flag("bone-too-long")],
        gesture: "pointing",
        view: "side",
      },
    ];
    for (const [index, spec] of specs.entries()) {
      const annotation = await db.annotation.create({
        data: {
          imageId: images[index]!.id,
          annotatorId: spec.who.id,
          status: spec.status,
          source: spec.source,
          isGold: spec.gold,
          imageFlags: [],
          qualityFlags: spec.flags,
          createdAt: new Date(Date.UTC(2026, 0, 1, 0, index)),
          hands: spec.gesture
            ? {
                create: {
                  position: 0,
                  keypoints: [],
                  attributes: {},
                  qualityFlags: [],
                  gesture: spec.gesture,
                  view: spec.view,
                },
              }
            : undefined,
        },
      });
      made.push(annotation.id);
    }
    // Another project's labelling never shows.
    const other = await createFixtureProject();
    const { images: otherImages } = await createSubjectWithImages(other, 1);
    await db.annotation.create({
      data: { imageId: otherImages[0]!.id, annotatorId: ann.id, status: "accepted", imageFlags: [], qualityFlags: [] },
    });

    const ids = async (value: Record<string, unknown>) =>
      (await browseLabels(projectId, filters(value))).items.map((item) => item.id);
    expect(await ids({})).toEqual([...made].reverse());
    expect(await ids({ status: "accepted" })).toEqual([made[1], made[0]]);
    expect(await ids({ flag: "finger-order" })).toEqual([made[4], made[1]]);
    expect(await ids({ flag: "bone-too-long" })).toEqual([made[4]]);
    expect(await ids({ flag: "duplicate-hand" })).toEqual([]);
    expect(await ids({ gesture: "fist" })).toEqual([made[1], made[0]]);
    expect(await ids({ view: "back" })).toEqual([made[2], made[1]]);
    expect(await ids({ gesture: "fist", view: "back" })).toEqual([made[1]]);
    expect(await ids({ annotatorId: bob.id })).toEqual([made[3], made[1]]);
    expect(await ids({ gold: "yes" })).toEqual([made[0]]);
    expect(await ids({ gold: "no", status: "accepted" })).toEqual([made[1]]);
    expect(await ids({ source: "imported" })).toEqual([made[1]]);
    expect(await ids({ source: "model_assisted" })).toEqual([made[2]]);

    const first = await browseLabels(projectId, filters({ pageSize: 2 }));
    expect(first).toMatchObject({ total: 5, previousCursor: null });
    const second = await browseLabels(projectId, filters({ pageSize: 2, after: first.nextCursor }));
    const third = await browseLabels(projectId, filters({ pageSize: 2, after: second.nextCursor }));
    expect([first, second, third].flatMap((p) => p.items.map((i) => i.id))).toEqual([...made].reverse());
    expect(third.nextCursor).toBeNull();
    const back = await browseLabels(projectId, filters({ pageSize: 2, before: second.previousCursor }));
    expect(back.items.map((i) => i.id)).toEqual(first.items.map((i) => i.id));
    expect(back.previousCursor).toBeNull();

    const item = first.items.find((i) => i.id === made[4])!;
    expect(item).toMatchObject({ flagCodes: ["finger-order", "bone-too-long"], strongFlags: 2, status: "rejected" });
    expect(item.image.originalFilename).toBe(images[4]!.originalFilename);
  });

  it("names a bad filter value and drops only that filter", () => {
    const parsed = parseBrowserFilters({ status: "accepted", flag: "no-such-flag", gold: "", view: ["palm"] });
    expect(parsed.ok).toBe(false);
    expect(parsed.filters).toMatchObject({ status: "accepted", view: "palm" });
    expect(parsed.filters.flag).toBeUndefined();
    expect(!parsed.ok && parsed.problems.join()).toMatch(/^flag "no-such-flag"/);
    expect(parseBrowserFilters({ gesture: "a b;drop" }).ok).toBe(false);
  });
});
