import { describe, expect, it } from "vitest";
import { bboxArea, bboxFromKeypoints } from "./bbox";
import { emptyKeypoints, type TKeypointInput } from "./schema";

function withPoints(points: [number, number][], state: "visible" | "occluded" = "visible"): TKeypointInput[] {
  const kps: TKeypointInput[] = emptyKeypoints();
  points.forEach(([x, y], i) => (kps[i] = { x, y, state }));
  return kps;
}

describe("bboxFromKeypoints", () => {
  it("is null with fewer than two placed points", () => {
    expect(bboxFromKeypoints(emptyKeypoints())).toBeNull();
    expect(bboxFromKeypoints(withPoints([[50, 50]]))).toBeNull();
  });

  it("pads by the margin ratio of the larger side", () => {
    const box = bboxFromKeypoints(
      withPoints([
        [100, 100],
        [200, 150],
      ]),
      0.1,
    );
    // larger side 100 → margin 10
    expect(box).toEqual({ x: 90, y: 90, width: 120, height: 70 });
  });

  it("uses a minimum margin of 4 px", () => {
    const box = bboxFromKeypoints(
      withPoints([
        [100, 100],
        [110, 105],
      ]),
      0.1,
    );
    expect(box).toEqual({ x: 96, y: 96, width: 18, height: 13 });
    expect(
      bboxFromKeypoints(
        withPoints([
          [10, 10],
          [20, 20],
        ]),
        0,
      ),
    ).toEqual({ x: 6, y: 6, width: 18, height: 18 });
  });

  it("ignores absent points but counts occluded ones", () => {
    const kps = withPoints(
      [
        [100, 100],
        [200, 200],
      ],
      "occluded",
    );
    kps[5] = { x: 999, y: 999, state: "absent" };
    const box = bboxFromKeypoints(kps, 0.1)!;
    expect(box.x + box.width).toBeCloseTo(210);
  });

  it("clamps to the image", () => {
    const box = bboxFromKeypoints(
      withPoints([
        [2, 3],
        [636, 478],
      ]),
      0.1,
      { width: 640, height: 480 },
    );
    expect(box).toEqual({ x: 0, y: 0, width: 640, height: 480 });
  });

  it("contains every placed point", () => {
    const pts: [number, number][] = [
      [320, 400],
      [300, 250],
      [350, 220],
      [280, 300],
    ];
    const box = bboxFromKeypoints(withPoints(pts))!;
    for (const [x, y] of pts) {
      expect(x).toBeGreaterThan(box.x);
      expect(x).toBeLessThan(box.x + box.width);
      expect(y).toBeGreaterThan(box.y);
      expect(y).toBeLessThan(box.y + box.height);
    }
  });
});

describe("bboxArea", () => {
  it("multiplies width by height and treats null as 0", () => {
    expect(bboxArea({ x: 5, y: 5, width: 10, height: 3 })).toBe(30);
    expect(bboxArea(null)).toBe(0);
  });
});
