import { describe, expect, it } from "vitest";
import { handToCocoAnnotation } from "./coco";
import { hfKeypointsJson, hfMetadataLine, hfMetadataRow } from "./hf-imagefolder";
import { makeHand } from "./test-fixtures";
import { BONES, JOINT_NAMES } from "@/lib/hand/skeleton";

const image = { width: 400, height: 300 };

describe("hfMetadataRow", () => {
  it("writes each hand as 21 [x, y, v] triplets equal to the COCO annotation, absent joints 0, 0, 0", () => {
    const hand = makeHand({ occluded: [4], absent: [20], overrides: { gesture: "fist", handedness: "left" } });
    const row = hfMetadataRow("abc.jpg", image, [hand]);
    expect(row).toMatchObject({ file_name: "abc.jpg", width: 400, height: 300 });
    expect(row.hands).toHaveLength(1);
    const [out] = row.hands;
    const coco = handToCocoAnnotation(hand, { id: 1, image_id: 1 }, image);
    expect(out!.keypoints).toHaveLength(21);
    expect(out!.keypoints.flat()).toEqual(coco.keypoints);
    expect(out!.keypoints[20]).toEqual([0, 0, 0]);
    expect(out!.keypoints[4]![2]).toBe(1);
    expect(out!.keypoints[0]![2]).toBe(2);
    expect(out!.keypoints[8]![0]).toBeCloseTo(hand.keypoints[8]!.x, 2);
    expect(out!.bbox).toEqual(coco.bbox);
    expect(out).toMatchObject({ handedness: "left", gesture: "fist", view: "palm" });
  });

  it("keeps every hand's fields and types the same, so datasets infers one feature type", () => {
    const hands = [makeHand(), makeHand({ cx: 100, absent: [1, 2, 3], overrides: { gesture: null } })];
    const row = hfMetadataRow("a.jpg", image, hands);
    const shape = (h: object) =>
      Object.entries(h).map(([k, v]) => [k, Array.isArray(v) ? "array" : v === null ? "string" : typeof v]);
    expect(Object.keys(row.hands[0]!)).toEqual(["handedness", "gesture", "view", "keypoints", "bbox"]);
    expect(shape(row.hands[1]!)).toEqual(shape(row.hands[0]!));
    for (const h of row.hands)
      for (const triplet of h.keypoints) {
        expect(triplet).toHaveLength(3);
        for (const n of triplet) expect(typeof n).toBe("number");
      }
  });

  it("writes an image without hands as an empty list, one line ending in a newline", () => {
    const line = hfMetadataLine("empty.jpg", image, []);
    expect(line.endsWith("\n")).toBe(true);
    expect(line.trimEnd()).not.toContain("\n");
    expect(JSON.parse(line)).toEqual({ file_name: "empty.jpg", width: 400, height: 300, hands: [] });
  });

  it("refuses a file name with a folder in it (file_name is relative to the split folder)", () => {
    expect(() => hfMetadataRow("images/train/a.jpg", image, [])).toThrow(/bare file name/);
    expect(() => hfMetadataRow("", image, [])).toThrow(/bare file name/);
  });
});

describe("hfKeypointsJson", () => {
  it("names the 21 joints in DESIGN order and the 0-based skeleton from the hand model", () => {
    const card = JSON.parse(hfKeypointsJson());
    expect(card.keypoints).toEqual([...JOINT_NAMES]);
    expect(card.keypoints[8]).toBe("index_tip");
    expect(card.skeleton).toEqual(BONES.map((b) => [...b]));
    expect(card.visibility).toEqual({ 0: "absent", 1: "occluded", 2: "visible" });
  });
});
