import { describe, expect, it } from "vitest";
import {
  BONES,
  COCO_VISIBILITY,
  DISTAL_OF_TIP,
  FINGERS,
  FINGERTIPS,
  FINGER_NAMES,
  JOINT_COUNT,
  JOINT_NAMES,
  STATE_OF_COCO_VISIBILITY,
  cocoSkeleton,
  fingerOfJoint,
  jointName,
  stateFromCocoVisibility,
} from "./skeleton";

describe("hand skeleton", () => {
  it("has 21 uniquely named joints in DESIGN order", () => {
    expect(JOINT_COUNT).toBe(21);
    expect(JOINT_NAMES).toHaveLength(JOINT_COUNT);
    expect(new Set(JOINT_NAMES).size).toBe(JOINT_COUNT);
    expect(JOINT_NAMES[0]).toBe("wrist");
    expect(JOINT_NAMES[4]).toBe("thumb_tip");
    expect(JOINT_NAMES[9]).toBe("middle_mcp");
    expect(JOINT_NAMES[14]).toBe("ring_pip");
    expect(JOINT_NAMES[20]).toBe("pinky_tip");
    expect(jointName(8)).toBe("index_tip");
    expect(() => jointName(21)).toThrow();
  });

  it("has 20 bones forming a tree rooted at the wrist that covers every joint", () => {
    expect(BONES).toHaveLength(JOINT_COUNT - 1);
    const parent = new Map<number, number>();
    for (const [a, b] of BONES) {
      expect(a).toBeGreaterThanOrEqual(0);
      expect(b).toBeLessThan(JOINT_COUNT);
      expect(parent.has(b)).toBe(false); // each child has exactly one parent
      parent.set(b, a);
    }
    expect(parent.has(0)).toBe(false);
    // Every non-wrist joint reaches the wrist without cycles.
    for (let j = 1; j < JOINT_COUNT; j++) {
      let cur = j;
      let steps = 0;
      while (cur !== 0) {
        const next = parent.get(cur);
        expect(next, `joint ${j} is disconnected`).toBeDefined();
        cur = next!;
        expect(++steps).toBeLessThanOrEqual(4);
      }
    }
    const inBone = new Set(BONES.flat());
    for (let j = 0; j < JOINT_COUNT; j++) expect(inBone.has(j)).toBe(true);
  });

  it("lists bones in DESIGN order", () => {
    expect(BONES.slice(0, 5)).toEqual([
      [0, 1],
      [0, 5],
      [0, 9],
      [0, 13],
      [0, 17],
    ]);
    expect(BONES[5]).toEqual([1, 2]);
    expect(BONES[19]).toEqual([19, 20]);
  });

  it("groups joints into fingers base → tip, consistent with the bones", () => {
    const all = FINGER_NAMES.flatMap((f) => [...FINGERS[f]]);
    expect(all.sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    const boneSet = new Set(BONES.map(([a, b]) => `${a}-${b}`));
    for (const f of FINGER_NAMES) {
      const chain = FINGERS[f];
      expect(boneSet.has(`0-${chain[0]}`)).toBe(true);
      for (let k = 0; k < 3; k++) expect(boneSet.has(`${chain[k]}-${chain[k + 1]}`)).toBe(true);
      for (const j of chain) expect(fingerOfJoint(j)).toBe(f);
    }
    expect(fingerOfJoint(0)).toBeNull();
    expect(() => fingerOfJoint(21)).toThrow(RangeError);
    expect(() => fingerOfJoint(-1)).toThrow(RangeError);
  });

  it("knows fingertips and their distal joints", () => {
    expect([...FINGERTIPS]).toEqual([4, 8, 12, 16, 20]);
    expect(FINGERTIPS.map((t) => DISTAL_OF_TIP[t])).toEqual([3, 7, 11, 15, 19]);
    for (const f of FINGER_NAMES) expect(FINGERTIPS).toContain(FINGERS[f][3]);
    // The distal joint is the tip's parent bone.
    for (const t of FINGERTIPS) expect(BONES).toContainEqual([DISTAL_OF_TIP[t], t]);
  });

  it("exports the COCO skeleton 1-based", () => {
    const coco = cocoSkeleton();
    expect(coco).toHaveLength(20);
    expect(coco[0]).toEqual([1, 2]);
    expect(coco[19]).toEqual([20, 21]);
    expect(Math.min(...coco.flat())).toBe(1);
    expect(Math.max(...coco.flat())).toBe(21);
    coco.forEach(([a, b], i) => expect([a - 1, b - 1]).toEqual([...BONES[i]!]));
    coco[0]![0] = 99; // a fresh copy each call: callers cannot corrupt the model
    expect(cocoSkeleton()[0]).toEqual([1, 2]);
  });

  it("maps keypoint states to COCO visibility and back", () => {
    expect(COCO_VISIBILITY).toEqual({ visible: 2, occluded: 1, absent: 0 });
    for (const [state, v] of Object.entries(COCO_VISIBILITY)) {
      expect(STATE_OF_COCO_VISIBILITY[v]).toBe(state);
      expect(stateFromCocoVisibility(v)).toBe(state);
    }
    expect(stateFromCocoVisibility(3)).toBeNull();
    expect(stateFromCocoVisibility(1.5)).toBeNull();
  });
});
