import { describe, expect, it } from "vitest";
import {
  ZBbox,
  ZHand,
  ZKeypoint,
  ZKeypoints,
  emptyKeypoints,
  keypointsOutsideImage,
  type TKeypointInput,
} from "./schema";

const placed = (n: number): TKeypointInput[] =>
  Array.from({ length: n }, (_, i) => ({ x: 10 + i, y: 20 + i, state: "visible" as const }));

describe("ZKeypoint", () => {
  it("normalises an absent point to 0,0", () => {
    expect(ZKeypoint.parse({ x: 123.5, y: 45, state: "absent" })).toEqual({ x: 0, y: 0, state: "absent" });
  });

  it("keeps placed points, floats included", () => {
    expect(ZKeypoint.parse({ x: 1.25, y: 2.5, state: "occluded" })).toEqual({ x: 1.25, y: 2.5, state: "occluded" });
  });

  it("refuses non-finite coordinates and unknown states", () => {
    expect(ZKeypoint.safeParse({ x: Number.NaN, y: 0, state: "visible" }).success).toBe(false);
    expect(ZKeypoint.safeParse({ x: Infinity, y: 0, state: "visible" }).success).toBe(false);
    expect(ZKeypoint.safeParse({ x: "1", y: 0, state: "visible" }).success).toBe(false);
    expect(ZKeypoint.safeParse({ x: 1, y: 0, state: "hidden" }).success).toBe(false);
    expect(ZKeypoint.safeParse({ x: 1, state: "visible" }).success).toBe(false);
  });
});

describe("ZKeypoints", () => {
  it("accepts exactly 21 and refuses 20 or 22", () => {
    expect(ZKeypoints.safeParse(placed(21)).success).toBe(true);
    expect(ZKeypoints.safeParse(placed(20)).success).toBe(false);
    const r = ZKeypoints.safeParse(placed(22));
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.message).toMatch(/21/);
  });

  it("emptyKeypoints gives 21 absent points that validate", () => {
    const e = emptyKeypoints();
    expect(e).toHaveLength(21);
    expect(e.every((k) => k.state === "absent" && k.x === 0 && k.y === 0)).toBe(true);
    expect(ZKeypoints.parse(e)).toEqual(e);
    e[0]!.x = 5; // independent objects
    expect(emptyKeypoints()[0]!.x).toBe(0);
  });
});

describe("ZBbox", () => {
  it("refuses negative width or height", () => {
    expect(ZBbox.safeParse({ x: 0, y: 0, width: 10, height: 5 }).success).toBe(true);
    expect(ZBbox.safeParse({ x: 0, y: 0, width: -1, height: 5 }).success).toBe(false);
    expect(ZBbox.safeParse({ x: 0, y: 0, width: 1, height: -5 }).success).toBe(false);
  });
});

describe("ZHand", () => {
  const minimal = {
    handedness: "right",
    keypoints: placed(21),
    bbox: null,
    gesture: null,
    view: null,
    skinTone: null,
  };

  it("fills defaults for interaction, truncated and attributes", () => {
    const h = ZHand.parse(minimal);
    expect(h.interaction).toBe("none");
    expect(h.truncated).toBe(false);
    expect(h.attributes).toEqual({});
  });

  it("accepts a fully described hand and normalises its absent points", () => {
    const kps = placed(21);
    kps[20] = { x: 99, y: 99, state: "absent" };
    const h = ZHand.parse({
      ...minimal,
      handedness: "left",
      keypoints: kps,
      bbox: { x: 1, y: 2, width: 30, height: 40 },
      gesture: "peace",
      view: "back",
      interaction: "holding_object",
      truncated: true,
      skinTone: 7,
      attributes: { gloved: false, ring: "gold" },
    });
    expect(h.keypoints[20]).toEqual({ x: 0, y: 0, state: "absent" });
    expect(h.attributes).toEqual({ gloved: false, ring: "gold" });
  });

  it("refuses bad enums, skin tones outside Monk 1–10, and 22 keypoints", () => {
    expect(ZHand.safeParse({ ...minimal, handedness: "Left" }).success).toBe(false);
    expect(ZHand.safeParse({ ...minimal, view: "front" }).success).toBe(false);
    expect(ZHand.safeParse({ ...minimal, interaction: "waving" }).success).toBe(false);
    for (const skinTone of [0, 11, 3.5]) expect(ZHand.safeParse({ ...minimal, skinTone }).success).toBe(false);
    expect(ZHand.safeParse({ ...minimal, skinTone: 10 }).success).toBe(true);
    expect(ZHand.safeParse({ ...minimal, keypoints: placed(22) }).success).toBe(false);
    expect(ZHand.safeParse({ ...minimal, attributes: { n: 3 } }).success).toBe(false);
  });
});

describe("keypointsOutsideImage", () => {
  it("returns the indices of placed points outside the image, ignoring absent ones", () => {
    const kps = placed(21);
    kps[2] = { x: -0.5, y: 10, state: "visible" };
    kps[7] = { x: 10, y: 480.01, state: "occluded" };
    kps[9] = { x: 640, y: 480, state: "visible" }; // the far edge is inside
    kps[11] = { x: -50, y: -50, state: "absent" };
    expect(keypointsOutsideImage(kps, 640, 480)).toEqual([2, 7]);
    expect(keypointsOutsideImage(emptyKeypoints(), 1, 1)).toEqual([]);
  });
});
