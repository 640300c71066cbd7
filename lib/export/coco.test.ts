import { describe, expect, it } from "vitest";
import { JOINT_NAMES, cocoSkeleton } from "@/lib/hand/skeleton";
import { createCocoWriter, handToCocoAnnotation, validateCocoKeypoints, type CocoFile } from "./coco";
import { makeHand } from "./test-fixtures";

async function exportToString(build: (w: ReturnType<typeof createCocoWriter>) => Promise<void>) {
  const chunks: string[] = [];
  const w = createCocoWriter((c) => void chunks.push(c), { description: "test" });
  await build(w);
  return { text: chunks.join(""), chunks, writer: w };
}

async function sampleFile(): Promise<CocoFile> {
  const { text } = await exportToString(async (w) => {
    await w.addImage({ id: 1, file_name: "a.jpg", width: 400, height: 300 });
    await w.addImage({ id: 2, file_name: "b.jpg", width: 640, height: 480 });
    await w.addAnnotation({ image_id: 1, hand: makeHand({ occluded: [3, 4], absent: [20] }) });
    await w.addAnnotation({ image_id: 2, hand: makeHand({ cx: 300, overrides: { handedness: "left" } }) });
    await w.finish();
  });
  return JSON.parse(text) as CocoFile;
}

describe("handToCocoAnnotation", () => {
  it("writes v from state, zeros absent joints, rounds to 0.01 px and counts placed joints", () => {
    const hand = makeHand({ occluded: [4], absent: [8, 12] });
    const a = handToCocoAnnotation(hand, { id: 7, image_id: 3 }, { width: 1000, height: 1000 });
    expect(a.keypoints).toHaveLength(63);
    expect(a.keypoints.slice(24, 27)).toEqual([0, 0, 0]);
    expect(a.keypoints[14]).toBe(1);
    expect(a.keypoints[2]).toBe(2);
    expect(a.num_keypoints).toBe(19);
    for (const n of a.keypoints) expect(Math.abs(n * 100 - Math.round(n * 100))).toBeLessThan(1e-6);
    expect(a.keypoints[0]).toBeCloseTo(hand.keypoints[0]!.x, 2);
    expect(a).toMatchObject({
      category_id: 1,
      iscrowd: 0,
      handedness: "right",
      gesture: "open_palm",
      view: "palm",
      interaction: "none",
    });
    expect(a.area).toBeCloseTo(a.bbox[2] * a.bbox[3], 1);
  });

  it("uses the hand's own box, clipped to the image", () => {
    const hand = makeHand({ overrides: { bbox: { x: -10, y: 20, width: 100, height: 50 } } });
    const a = handToCocoAnnotation(hand, { id: 1, image_id: 1 }, { width: 80, height: 60 });
    expect(a.bbox).toEqual([0, 20, 80, 40]);
    expect(a.area).toBe(3200);
  });

  it("gives an empty box to a hand with fewer than two placed joints", () => {
    const hand = makeHand({ absent: Array.from({ length: 20 }, (_, i) => i + 1) });
    const a = handToCocoAnnotation(hand, { id: 1, image_id: 1 }, { width: 800, height: 600 });
    expect(a.bbox).toEqual([0, 0, 0, 0]);
    expect(a.num_keypoints).toBe(1);
  });
});

describe("createCocoWriter", () => {
  it("streams JSON that parses, has the hand category, and passes the strict validator", async () => {
    const json = await sampleFile();
    expect(validateCocoKeypoints(json)).toEqual([]);
    expect(json.categories).toEqual([
      { id: 1, name: "hand", supercategory: "person", keypoints: [...JOINT_NAMES], skeleton: cocoSkeleton() },
    ]);
    expect(json.categories[0]!.skeleton).toHaveLength(20);
    expect(json.licenses).toEqual([]);
    expect(json.info).toEqual({ description: "test" });
    expect(json.images.map((i) => i.id)).toEqual([1, 2]);
    expect(json.annotations.map((a) => [a.id, a.image_id, a.handedness])).toEqual([
      [1, 1, "right"],
      [2, 2, "left"],
    ]);
  });

  it("writes incrementally: one chunk per image and per annotation", async () => {
    const { chunks } = await exportToString(async (w) => {
      await w.addImage({ id: 1, file_name: "a.jpg", width: 400, height: 300 });
      await w.addAnnotation({ image_id: 1, hand: makeHand() });
      await w.addAnnotation({ image_id: 1, hand: makeHand() });
      await w.finish();
    });
    expect(chunks).toHaveLength(4);
    expect(chunks[0]).toMatch(/^\{"info":.*"images":\[\{"id":1/);
    expect(chunks.at(-1)).toBe("]}");
  });

  it("produces a valid file with no images or no annotations", async () => {
    const empty = await exportToString(async (w) => w.finish());
    expect(validateCocoKeypoints(JSON.parse(empty.text))).toEqual([]);
    const noAnn = await exportToString(async (w) => {
      await w.addImage({ id: 5, file_name: "x.png", width: 10, height: 10 });
      await w.finish();
    });
    const parsed = JSON.parse(noAnn.text) as CocoFile;
    expect(parsed.annotations).toEqual([]);
    expect(validateCocoKeypoints(parsed)).toEqual([]);
  });

  it("refuses misordered and invalid calls", async () => {
    const w = createCocoWriter(() => {});
    await w.addImage({ id: 1, file_name: "a.jpg", width: 400, height: 300 });
    await expect(w.addImage({ id: 1, file_name: "b.jpg", width: 4, height: 3 })).rejects.toThrow(/duplicate image id/);
    await expect(w.addAnnotation({ image_id: 9, hand: makeHand() })).rejects.toThrow(/unknown image 9/);
    await expect(w.addAnnotation({ image_id: 1, hand: makeHand({ cx: 1000 }) })).rejects.toThrow(/outside image 1/);
    await w.addAnnotation({ image_id: 1, hand: makeHand(), id: 10 });
    await expect(w.addAnnotation({ image_id: 1, hand: makeHand(), id: 10 })).rejects.toThrow(/increasing/);
    expect(await w.addAnnotation({ image_id: 1, hand: makeHand() })).toBe(11);
    await expect(w.addImage({ id: 2, file_name: "c.jpg", width: 4, height: 3 })).rejects.toThrow(
      /before the first annotation/,
    );
    await w.finish();
    await expect(w.finish()).rejects.toThrow(/after finish/);
    await expect(w.addAnnotation({ image_id: 1, hand: makeHand() })).rejects.toThrow(/after finish/);
  });

  it("serialises async writes in call order, and stops after a failed write", async () => {
    const out: string[] = [];
    const w = createCocoWriter(async (c) => {
      await new Promise((r) => setTimeout(r, c.length % 3));
      out.push(c);
    });
    const calls = [w.addImage({ id: 1, file_name: "a.jpg", width: 400, height: 300 })];
    for (let i = 0; i < 5; i++)
      calls.push(w.addAnnotation({ image_id: 1, hand: makeHand({ jitter: i }) }).then(() => {}));
    calls.push(w.finish());
    await Promise.all(calls);
    expect(validateCocoKeypoints(JSON.parse(out.join("")))).toEqual([]);

    const failing = createCocoWriter(() => {
      throw new Error("disk full");
    });
    await expect(failing.addImage({ id: 1, file_name: "a.jpg", width: 4, height: 3 })).rejects.toThrow("disk full");
    await expect(failing.finish()).rejects.toThrow(/failed earlier/);
  });

  it("keeps memory flat: 50,000 annotations retain nothing beyond image sizes", async () => {
    let bytes = 0;
    const w = createCocoWriter((c) => void (bytes += c.length));
    for (let i = 1; i <= 10; i++) await w.addImage({ id: i, file_name: `${i}.jpg`, width: 1000, height: 1000 });
    const hand = makeHand();
    await w.addAnnotation({ image_id: 1, hand });
    const before = w.stats.retainedEntries;
    for (let i = 1; i < 50_000; i++) await w.addAnnotation({ image_id: (i % 10) + 1, hand });
    await w.finish();
    expect(w.stats).toMatchObject({ images: 10, annotations: 50_000, retainedEntries: before, phase: "finished" });
    expect(before).toBe(10);
    expect(bytes).toBeGreaterThan(50_000 * 300);
  });
});

describe("validateCocoKeypoints", () => {
  type Mutate = (f: CocoFile & Record<string, unknown>) => void;
  const ann = (f: CocoFile) => f.annotations[0]! as unknown as Record<string, unknown> & { keypoints: number[] };
  const cases: [string, Mutate, RegExp][] = [
    ["info missing", (f) => void delete (f as Partial<CocoFile>).info, /info must be an object/],
    ["licenses missing", (f) => void delete (f as Partial<CocoFile>).licenses, /licenses/],
    ["two categories", (f) => void f.categories.push({ ...f.categories[0]!, id: 1 }), /exactly one category/],
    ["category id", (f) => void ((f.categories[0] as { id: number }).id = 2), /categories\[0\]\.id/],
    ["category name", (f) => void ((f.categories[0] as { name: string }).name = "Hand"), /name must be "hand"/],
    [
      "supercategory",
      (f) => void ((f.categories[0] as { supercategory: string }).supercategory = "body"),
      /supercategory/,
    ],
    ["keypoint order", (f) => void f.categories[0]!.keypoints.reverse(), /joint names in DESIGN order/],
    [
      "skeleton 0-based",
      (f) => void (f.categories[0]!.skeleton = f.categories[0]!.skeleton.map(([a, b]) => [a - 1, b - 1])),
      /1-based/,
    ],
    [
      "duplicate image id",
      (f) => {
        f.images[1]!.id = 1;
        f.annotations = [f.annotations[0]!];
      },
      /duplicate image id 1/,
    ],
    ["duplicate file_name", (f) => void (f.images[1]!.file_name = "a.jpg"), /duplicate file_name/],
    ["image size", (f) => void (f.images[0]!.width = 0), /width and height/],
    ["unknown image", (f) => void (ann(f).image_id = 99), /does not reference an image/],
    ["keypoint count", (f) => void ann(f).keypoints.pop(), /must hold 63/],
    ["non-numeric keypoint", (f) => void ((ann(f).keypoints as unknown[])[5] = "2"), /finite numbers/],
    ["v out of set", (f) => void (ann(f).keypoints[2] = 3), /v = 3/],
    ["absent not at origin", (f) => void (ann(f).keypoints[60] = 5), /absent .* not at 0,0/],
    ["num_keypoints", (f) => void (ann(f).num_keypoints = 21), /num_keypoints is 21, but 20/],
    ["bbox length", (f) => void (ann(f).bbox = [1, 2, 3]), /bbox must be 4/],
    ["bbox negative", (f) => void (ann(f).bbox = [-1, 2, 3, 4]), /bbox must be 4 non-negative/],
    ["area negative", (f) => void (ann(f).area = -1), /area/],
    ["iscrowd", (f) => void (ann(f).iscrowd = 1), /iscrowd must be 0/],
    ["category_id", (f) => void (ann(f).category_id = 2), /category_id must be 1/],
    ["duplicate annotation id", (f) => void (f.annotations[1]!.id = f.annotations[0]!.id), /duplicate annotation id/],
    ["keypoint outside image", (f) => void (ann(f).keypoints[0] = 401), /wrist at 401,.* outside its 400×300 image/],
    ["keypoint negative", (f) => void (ann(f).keypoints[4] = -0.5), /thumb_cmc .* outside/],
    ["handedness", (f) => void (ann(f).handedness = "Left"), /handedness/],
  ];

  it.each(cases)("rejects exactly one broken rule: %s", async (_name, mutate, pattern) => {
    const f = (await sampleFile()) as CocoFile & Record<string, unknown>;
    mutate(f);
    const problems = validateCocoKeypoints(f);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(pattern);
  });

  it("rejects things that are not a COCO file without throwing", () => {
    expect(validateCocoKeypoints(null)).toEqual(["the file is not a JSON object"]);
    expect(validateCocoKeypoints([])).toEqual(["the file is not a JSON object"]);
    expect(validateCocoKeypoints({}).length).toBeGreaterThanOrEqual(5);
  });
});
