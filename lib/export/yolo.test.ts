import { describe, expect, it } from "vitest";
import { YOLO_HAND_FLIP_IDX, yoloDataYaml, yoloLabelFile, yoloLabelLine } from "./yolo";
import { makeHand } from "./test-fixtures";

const image = { width: 400, height: 300 };

describe("yoloLabelLine", () => {
  it("writes class, box and 21 × (x y v), normalised to [0, 1]", () => {
    const hand = makeHand({
      occluded: [4],
      absent: [20],
      overrides: { bbox: { x: 100, y: 60, width: 80, height: 120 } },
    });
    const line = yoloLabelLine(hand, image)!;
    const parts = line.split(" ");
    expect(parts).toHaveLength(5 + 21 * 3);
    expect(parts.slice(0, 5)).toEqual(["0", "0.35", "0.4", "0.2", "0.4"]);
    const nums = parts.map(Number);
    for (const n of nums.slice(1)) expect(n >= 0 && n <= 2).toBe(true);
    for (let j = 0; j < 21; j++) {
      const [x, y, v] = nums.slice(5 + 3 * j, 8 + 3 * j);
      const p = hand.keypoints[j]!;
      expect(v).toBe(p.state === "visible" ? 2 : p.state === "occluded" ? 1 : 0);
      if (v === 0) expect([x, y]).toEqual([0, 0]);
      else {
        expect(x! * image.width).toBeCloseTo(p.x, 3);
        expect(y! * image.height).toBeCloseTo(p.y, 3);
        expect(x! >= 0 && x! <= 1 && y! >= 0 && y! <= 1).toBe(true);
      }
    }
    expect(nums[5 + 3 * 4 + 2]).toBe(1);
    expect(parts.slice(-3)).toEqual(["0", "0", "0"]);
  });

  it("derives the box from the joints when none is stored, and clips it to the image", () => {
    const hand = makeHand({ cx: 30, cy: 50 }); // leftmost joint at x ≈ 5 px: the padded box would cross 0
    const [, cx, cy, w, h] = yoloLabelLine(hand, image)!.split(" ").map(Number);
    expect(cx! - w! / 2).toBeCloseTo(0, 5);
    expect(cy! - h! / 2).toBeGreaterThanOrEqual(-1e-6);
    expect(w).toBeGreaterThan(0);
    for (const p of hand.keypoints) {
      expect(p.x / image.width).toBeGreaterThanOrEqual(cx! - w! / 2 - 1e-6);
      expect(p.x / image.width).toBeLessThanOrEqual(cx! + w! / 2 + 1e-6);
    }
  });

  it("skips a hand with no usable box", () => {
    const lone = makeHand({ absent: Array.from({ length: 20 }, (_, i) => i + 1) });
    expect(yoloLabelLine(lone, image)).toBeNull();
    const file = yoloLabelFile([lone, makeHand(), makeHand({ overrides: { handedness: "left" } })], image);
    expect(file).toMatchObject({ written: 2, skipped: 1 });
    expect(file.text.endsWith("\n")).toBe(true);
    expect(file.text.trim().split("\n")).toHaveLength(2);
    expect(yoloLabelFile([], image).text).toBe("");
  });

  it("refuses a bad image size", () => {
    expect(() => yoloLabelLine(makeHand(), { width: 0, height: 10 })).toThrow(RangeError);
  });
});

describe("yoloDataYaml", () => {
  it("declares kpt_shape [21, 3], identity flip_idx, names and split paths", () => {
    const yaml = yoloDataYaml({ splits: { train: "images/train", val: "images/val", test: "images/test" } });
    expect(yaml).toContain("kpt_shape: [21, 3]\n");
    expect(yaml).toContain(`flip_idx: [${Array.from({ length: 21 }, (_, i) => i).join(", ")}]\n`);
    expect(yaml).toContain('names:\n  0: "hand"\n');
    expect(yaml).toMatch(/^train: "images\/train"$/m);
    expect(yaml).toMatch(/^val: "images\/val"$/m);
    expect(yaml).toMatch(/^test: "images\/test"$/m);
    expect(yaml).toMatch(/^path: "\."$/m);
    expect(YOLO_HAND_FLIP_IDX).toEqual([...Array(21).keys()]);
  });

  it("omits test when absent, accepts a names list, and quotes awkward strings", () => {
    const yaml = yoloDataYaml({ names: ["left: hand", "right"], splits: { train: "a #b", val: "v" } });
    expect(yaml).not.toMatch(/^test:/m);
    expect(yaml).toContain('  0: "left: hand"\n  1: "right"\n');
    expect(yaml).toContain('train: "a #b"');
    expect(() => yoloDataYaml({ names: { 1: "hand" }, splits: { train: "t", val: "v" } })).toThrow(/without gaps/);
  });
});
