import { describe, expect, it } from "vitest";
import { JOINT_NAMES } from "@/lib/hand/skeleton";
import { createCocoWriter, type CocoFile } from "@/lib/export/coco";
import { makeHand } from "@/lib/export/test-fixtures";
import type { THand } from "@/lib/hand/schema";
import { matchImportedImages, normaliseJointName, parseCocoImport } from "./coco-import";

async function exported(hands: { image_id: number; hand: THand }[]): Promise<string> {
  const chunks: string[] = [];
  const w = createCocoWriter((c) => void chunks.push(c));
  await w.addImage({ id: 1, file_name: "a.jpg", width: 400, height: 300 });
  await w.addImage({ id: 2, file_name: "dir/b.jpg", width: 640, height: 480 });
  for (const h of hands) await w.addAnnotation(h);
  await w.finish();
  return chunks.join("");
}

const okResult = (r: ReturnType<typeof parseCocoImport>) => {
  if (!r.ok) throw new Error(`expected ok, got ${r.fileErrors.join("; ")}`);
  return r;
};

const sample = async () =>
  JSON.parse(
    await exported([
      { image_id: 1, hand: makeHand() },
      { image_id: 2, hand: makeHand({ cx: 300 }) },
    ]),
  ) as CocoFile & Record<string, unknown>;

describe("round trip: coco.ts export → import", () => {
  it("reproduces keypoints to 0.01 px, states (v) and handedness", async () => {
    const originals = [
      { image_id: 1, hand: makeHand({ occluded: [3, 4, 9], absent: [20, 16], jitter: 0.123456 }) },
      {
        image_id: 1,
        hand: makeHand({
          cx: 150,
          overrides: { handedness: "left", gesture: "fist", view: "back", interaction: "holding_object" },
        }),
      },
      {
        image_id: 2,
        hand: makeHand({ cx: 300, cy: 250, overrides: { handedness: "unknown", view: null, gesture: null } }),
      },
    ];
    const r = okResult(parseCocoImport(await exported(originals)));
    expect(r.errors).toEqual([]);
    expect(r.imported).toBe(3);
    expect(r.images.map((i) => [i.id, i.file_name, i.width, i.height])).toEqual([
      [1, "a.jpg", 400, 300],
      [2, "dir/b.jpg", 640, 480],
    ]);
    const back = [...(r.handsByImage.get(1) ?? []), ...(r.handsByImage.get(2) ?? [])];
    expect(back).toHaveLength(3);
    back.forEach((hand, h) => {
      const orig = originals[h]!.hand;
      expect(hand.handedness).toBe(orig.handedness);
      expect(hand.gesture).toBe(orig.gesture);
      expect(hand.view).toBe(orig.view);
      expect(hand.interaction).toBe(orig.interaction);
      hand.keypoints.forEach((p, j) => {
        const o = orig.keypoints[j]!;
        expect(p.state).toBe(o.state);
        expect(Math.abs(p.x - o.x)).toBeLessThanOrEqual(0.005 + 1e-9);
        expect(Math.abs(p.y - o.y)).toBeLessThanOrEqual(0.005 + 1e-9);
      });
    });
  });
});

describe("parseCocoImport: categories and names", () => {
  it("maps a permuted, superset name list by name and reports the extra names", async () => {
    const f = await sample();
    const names = [...JOINT_NAMES].reverse().map((n) => n.replace("pinky", "Little").replace(/_/g, " "));
    names.splice(3, 0, "nose");
    const perm = names.map((n) => JOINT_NAMES.indexOf(normaliseJointName(n) as (typeof JOINT_NAMES)[number]));
    f.categories[0]!.keypoints = names;
    for (const a of f.annotations) {
      const kp = a.keypoints;
      a.keypoints = perm.flatMap((j) => (j === -1 ? [0, 0, 0] : kp.slice(3 * j, 3 * j + 3)));
    }
    const r = okResult(parseCocoImport(f));
    expect(r.errors).toEqual([]);
    expect(r.warnings.join()).toMatch(/ignored keypoints: nose/);
    const orig = makeHand();
    expect(r.handsByImage.get(1)![0]!.keypoints[8]!.x).toBeCloseTo(orig.keypoints[8]!.x, 2);
  });

  it("accepts a hand category without a name list (DESIGN order)", async () => {
    const f = await sample();
    delete (f.categories[0] as { keypoints?: string[] }).keypoints;
    expect(okResult(parseCocoImport(f)).imported).toBe(2);
  });

  it("fails the file on missing or repeated joint names, or no hand category", async () => {
    const f = await sample();
    f.categories[0]!.keypoints = JOINT_NAMES.slice(0, 20);
    const r = parseCocoImport(f);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.fileErrors.join()).toMatch(/missing hand keypoints: pinky_tip/);
    f.categories[0]!.keypoints = [...JOINT_NAMES, "wrist"];
    expect(JSON.stringify(parseCocoImport(f))).toMatch(/keypoint names repeat: wrist/);
    f.categories = [
      { id: 1, name: "person", supercategory: "person", keypoints: ["nose", "left_eye"], skeleton: [] },
    ] as never;
    expect(JSON.stringify(parseCocoImport(f))).toMatch(/no hand category/);
  });

  it("skips annotations of other categories with a warning", async () => {
    const f = await sample();
    f.annotations[1]!.category_id = 7 as 1;
    const r = okResult(parseCocoImport(f));
    expect(r.imported).toBe(1);
    expect(r.warnings).toContain("1 annotations of other categories were skipped");
  });
});

describe("parseCocoImport: malformed files", () => {
  it.each<[string, unknown, RegExp]>([
    ["not JSON", "{oops", /not valid JSON/],
    ["not an object", "[]", /expected object/i],
    ["images missing", { annotations: [], categories: [{ id: 1, name: "hand" }] }, /images must be an array/],
    [
      "bad image size",
      {
        images: [{ id: 1, file_name: "a", width: -1, height: 2 }],
        annotations: [],
        categories: [{ id: 1, name: "hand" }],
      },
      /images\.0\.width: width must be positive/,
    ],
    [
      "bad sha256",
      {
        images: [{ id: 1, file_name: "a", width: 1, height: 2, sha256: "xyz" }],
        annotations: [],
        categories: [{ id: 1, name: "hand" }],
      },
      /sha256 must be 64 hex/,
    ],
    [
      "duplicate image",
      {
        images: [
          { id: 1, file_name: "a", width: 1, height: 2 },
          { id: 1, file_name: "b", width: 1, height: 2 },
        ],
        annotations: [],
        categories: [{ id: 1, name: "hand" }],
      },
      /duplicate image id 1/,
    ],
    ["no categories", { images: [], annotations: [], categories: [] }, /categories is empty/],
  ])("rejects %s with a clear message", (_n, input, pattern) => {
    const r = parseCocoImport(input);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.fileErrors.join("\n")).toMatch(pattern);
  });
});

describe("parseCocoImport: per-annotation errors", () => {
  type Ann = Record<string, unknown> & { keypoints: unknown[] };
  it.each<[string, (a: Ann) => void, RegExp]>([
    ["wrong keypoint count", (a) => void a.keypoints.pop(), /wrong keypoint count: expected 63 numbers, got 62/],
    ["v out of range", (a) => void (a.keypoints[5] = 3), /thumb_cmc: v = 3 is not 0, 1 or 2/],
    ["outside the image", (a) => void (a.keypoints[0] = 401), /outside the 400×300 image: wrist \(401/],
    ["negative coordinate", (a) => void (a.keypoints[1] = -2), /outside the 400×300 image: wrist/],
    ["unknown image", (a) => void (a.image_id = 42), /unknown image_id 42/],
    ["malformed number", (a) => void (a.keypoints[7] = "12"), /malformed number at keypoints\[7\]: "12"/],
    ["null number", (a) => void (a.keypoints[7] = null), /malformed number at keypoints\[7\]: null/],
    ["bad handedness", (a) => void (a.handedness = "both"), /handedness must be left, right or unknown/],
    ["bad bbox", (a) => void (a.bbox = [1, 2, -3, 4]), /malformed bbox/],
  ])("reports %s by annotation id and leaves only that annotation out", async (_n, mutate, pattern) => {
    const f = await sample();
    mutate(f.annotations[0] as unknown as Ann);
    const r = okResult(parseCocoImport(f));
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]!.annotationId).toBe(1);
    expect(r.errors[0]!.reason).toMatch(pattern);
    expect(r.imported).toBe(1);
    expect(r.handsByImage.has(1)).toBe(false);
    expect(r.handsByImage.get(2)).toHaveLength(1);
  });

  it("reports duplicate and missing ids, and non-object annotations", async () => {
    const f = await sample();
    (f.annotations as unknown[]).push({ ...f.annotations[0] }, { ...f.annotations[0], id: "x" }, 5);
    const r = okResult(parseCocoImport(f));
    expect(r.errors).toEqual([
      { annotationId: 1, reason: "duplicate annotation id" },
      { annotationId: null, reason: "annotations[3]: id must be an integer" },
      { annotationId: null, reason: "annotations[4] is not an object" },
    ]);
    expect(r.imported).toBe(2);
  });

  it("normalises absent joints to 0,0 and reads handedness case-insensitively", async () => {
    const f = await sample();
    const a = f.annotations[0]! as unknown as Ann;
    a.keypoints[60] = 0;
    a.keypoints[61] = 0;
    a.keypoints[62] = 0;
    a.keypoints[57] = 12; // pinky_dip x with v = 0
    a.keypoints[59] = 0;
    a.handedness = "Left";
    const hand = okResult(parseCocoImport(f)).handsByImage.get(1)![0]!;
    expect(hand.keypoints[19]).toEqual({ x: 0, y: 0, state: "absent" });
    expect(hand.handedness).toBe("left");
    delete a.handedness;
    expect(okResult(parseCocoImport(f)).handsByImage.get(1)![0]!.handedness).toBe("unknown");
  });
});

describe("matchImportedImages", () => {
  it("matches by sha256 first, then by base file name, never ambiguously", () => {
    const sha = "ab".repeat(32);
    const images = [
      { id: 1, file_name: "x/one.jpg", width: 1, height: 1, sha256: sha },
      { id: 2, file_name: "two.jpg", width: 1, height: 1 },
      { id: 3, file_name: "three.jpg", width: 1, height: 1 },
      { id: 4, file_name: "dup.jpg", width: 1, height: 1 },
    ];
    const r = matchImportedImages(images, [
      { id: "i1", fileName: "renamed.jpg", sha256: sha.toUpperCase() },
      { id: "i2", fileName: "uploads/two.jpg" },
      { id: "d1", fileName: "dup.jpg" },
      { id: "d2", fileName: "other/dup.jpg" },
    ]);
    expect([...r.matched]).toEqual([
      [1, "i1"],
      [2, "i2"],
    ]);
    expect(r.unmatched.map((i) => i.id)).toEqual([3]);
    expect(r.ambiguous.map((i) => i.id)).toEqual([4]);
  });
});
