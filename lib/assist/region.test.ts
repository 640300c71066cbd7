import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { newHand } from "@/lib/annotate/hand-ops";
import { handPck } from "./pck";
import {
  alignedCrop,
  boxForPartialHand,
  boxFromDrag,
  completeHand,
  cropForBox,
  cropToImage,
  defaultBoxAt,
  handednessFromScore,
  imageToCrop,
  jointSpread,
  labelRegion,
  likelyWrongJoints,
  NET_SIZE,
  resultToHand,
  sampleCrop,
  unrotate,
  type TCrop,
  type TRegionResult,
} from "./region";
import { loadLandmarkNetFromDisk } from "./landmark-runner-node";

const close = (a: { x: number; y: number }, b: { x: number; y: number }, eps = 1e-6) =>
  expect(Math.hypot(a.x - b.x, a.y - b.y)).toBeLessThan(eps);

describe("crop geometry", () => {
  it("centres a square crop of 1.6 × the longer side on the box", () => {
    expect(cropForBox({ x: 10, y: 20, width: 100, height: 50 })).toEqual({
      cx: 60,
      cy: 45,
      side: 160,
      angle: 0,
      flip: false,
    });
    expect(() => cropForBox({ x: 0, y: 0, width: 0, height: 10 })).toThrow(/positive size/);
  });

  it("maps the crop's corners and centre to the image, rotated and mirrored, and back", () => {
    const upright: TCrop = { cx: 100, cy: 50, side: 224, angle: 0, flip: false };
    close(cropToImage(upright, 0, 0), { x: -12, y: -62 });
    close(cropToImage(upright, NET_SIZE / 2, NET_SIZE / 2), { x: 100, y: 50 });
    // A quarter turn: the crop's "right" is the image's "down".
    const turned: TCrop = { ...upright, angle: Math.PI / 2 };
    close(cropToImage(turned, NET_SIZE, NET_SIZE / 2), { x: 100, y: 162 });
    const mirrored: TCrop = { ...upright, flip: true };
    close(cropToImage(mirrored, NET_SIZE, NET_SIZE / 2), { x: -12, y: 50 });
    for (const crop of [upright, turned, mirrored, { cx: 3, cy: -7, side: 40, angle: 2.1, flip: true }]) {
      for (const [u, v] of [
        [0, 0],
        [17, 200],
        [224, 5],
      ]) {
        const p = cropToImage(crop, u!, v!);
        close(imageToCrop(crop, p.x, p.y), { x: u!, y: v! });
      }
    }
  });

  it("samples the crop bilinearly in 0..1, black outside the image", () => {
    // A 2×1 RGB image: a red pixel, then a blue one.
    const pixels = { data: [255, 0, 0, 0, 0, 255], width: 2, height: 1, channels: 3 as const };
    const crop: TCrop = { cx: 1, cy: 0.5, side: 2, angle: 0, flip: false };
    const out = sampleCrop(pixels, crop, 2);
    // Crop pixel (0,0) centre maps to image (0.5, 0): pure red at the top row's edge (half outside → 0.5 weight).
    expect(out[0]).toBeCloseTo(0.5, 5);
    expect(out[2]).toBeCloseTo(0, 5);
    // Crop pixel (1,1) sits at image (1.5, 1.0): blue, half weight on the row below (outside).
    expect(out[9 + 2]).toBeCloseTo(0.5, 5);
    // Mirrored: red and blue swap sides.
    const flipped = sampleCrop(pixels, { ...crop, flip: true }, 2);
    expect(flipped[2]).toBeCloseTo(0.5, 5);
    expect(flipped[0]).toBeCloseTo(0, 5);
    expect(() => sampleCrop({ ...pixels, data: [1, 2] }, crop)).toThrow(/shorter/);
  });

  it("unrotates the network's 63 values through the crop, and refuses fewer", () => {
    const crop: TCrop = { cx: 50, cy: 50, side: 224, angle: Math.PI, flip: false };
    const landmarks = Array.from({ length: 63 }, (_, i) => (i % 3 === 2 ? 0 : 112 + 10));
    const points = unrotate(crop, landmarks);
    expect(points).toHaveLength(21);
    close(points[0]!, { x: 40, y: 40 }, 1e-9);
    expect(() => unrotate(crop, [1, 2, 3])).toThrow(/63 landmark values/);
  });

  it("aligns a crop with the skeleton as MediaPipe's tracker does: wrist below, framed on the palm, shifted to the fingers", () => {
    // A hand pointing right in the image: wrist at (0,0), knuckles at x = 10, index above, ring and pinky below;
    // the fingertips far out at x = 40 do not enlarge the frame.
    const points = Array.from({ length: 21 }, (_, j) => ({
      x: j === 0 ? 0 : [4, 8, 12, 16, 20].includes(j) ? 40 : 10,
      y: j === 5 ? -3 : j === 13 || j === 17 ? 3 : 0,
    }));
    const crop = alignedCrop(points);
    expect(crop.angle).toBeCloseTo(Math.PI / 2, 6);
    // In the crop the knuckles are above the wrist.
    expect(imageToCrop(crop, 10, 0).y).toBeLessThan(imageToCrop(crop, 0, 0).y);
    // 2 × the framed extent (wrist to knuckles, 10), centred between them and shifted 0.1 × 10 to the fingers.
    expect(crop.side).toBeCloseTo(20, 6);
    close({ x: crop.cx, y: crop.cy }, { x: 6, y: 0 });
  });
});

describe("boxes, results and hands", () => {
  const image = { width: 200, height: 100 };
  it("makes boxes from a drag or a click", () => {
    expect(boxFromDrag({ x: 50, y: 40 }, { x: 10, y: 60 })).toEqual({ x: 10, y: 40, width: 40, height: 20 });
    expect(defaultBoxAt({ x: 100, y: 50 }, image)).toEqual({ x: 85, y: 35, width: 30, height: 30 });
    expect(defaultBoxAt({ x: 100, y: 50 }, image, [20, 40, 60])).toEqual({ x: 80, y: 30, width: 40, height: 40 });
  });

  const result = (over: Partial<TRegionResult> = {}): TRegionResult => ({
    box: { x: 0, y: 0, width: 50, height: 50 },
    presence: 0.9,
    confident: true,
    rightScore: 0.9,
    points: Array.from({ length: 21 }, (_, j) => ({ x: 10 + j, y: 20 })),
    uncertainty: Array.from({ length: 21 }, (_, j) => (j === 8 ? 0.2 : j === 4 ? 0.05 : 0.01)),
    runs: 6,
    ms: 100,
    ...over,
  });

  it("turns a confident result into a hand; joints far outside the image are absent", () => {
    const points = result().points.map((p, j) => (j === 20 ? { x: 250, y: 20 } : p));
    const hand = resultToHand(result({ points }), image);
    expect(hand.handedness).toBe("right");
    expect(hand.keypoints[3]).toEqual({ x: 13, y: 20, state: "visible" });
    expect(hand.keypoints[20]!.state).toBe("absent");
    expect(hand.truncated).toBe(true);
    expect(() => resultToHand(result({ confident: false }), image)).toThrow(/label it by hand/);
  });

  it("completes a partial hand: placed joints stay, absent ones are filled", () => {
    const partial = newHand();
    partial.keypoints[0] = { x: 5, y: 5, state: "visible" };
    partial.keypoints[4] = { x: 7, y: 9, state: "occluded" };
    const done = completeHand(partial, result(), image);
    expect(done.keypoints[0]).toEqual({ x: 5, y: 5, state: "visible" });
    expect(done.keypoints[4]).toEqual({ x: 7, y: 9, state: "occluded" });
    expect(done.keypoints[12]).toEqual({ x: 22, y: 20, state: "visible" });
    expect(done.handedness).toBe("right");
    expect(completeHand(partial, result({ confident: false }), image)).toBe(partial);
    expect(boxForPartialHand(partial, 30)).toEqual({ x: -9, y: -8, width: 30, height: 30 });
    expect(boxForPartialHand(newHand(), 30)).toBeNull();
  });

  it("names handedness only when sure, and lists the likely-wrong joints worst first", () => {
    expect(handednessFromScore(0.95)).toBe("right");
    expect(handednessFromScore(0.1)).toBe("left");
    expect(handednessFromScore(0.55)).toBe("unknown");
    expect(likelyWrongJoints(result().uncertainty)).toEqual([8, 4]);
    expect(jointSpread([{ x: 0, y: 0 }], [{ points: [{ x: 3, y: 4 }] }], 10)).toEqual([0.5]);
  });
});

const SAMPLE = path.resolve(process.cwd(), "../shared/hands-sample");
const present = existsSync(path.join(SAMPLE, "labels.json"));
if (!present) console.log(`Skipping the region-assist run on real photos: ${SAMPLE} is absent.`);

describe.skipIf(!present)("region assist with the real network on a sample photo", () => {
  it("labels the hand in its box confidently (PCK@0.2 ≥ 0.8), with a spread per joint", async () => {
    const net = await loadLandmarkNetFromDisk(process.cwd());
    const labels = JSON.parse(readFileSync(path.join(SAMPLE, "labels.json"), "utf8")) as {
      file: string;
      hands: { keypoints: [number, number, number][] }[];
    }[];
    const entry = labels.find((l) => l.file === "onehand10k_9.jpg")!;
    const { data, info } = await sharp(path.join(SAMPLE, entry.file))
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    const pixels = { data, width: info.width, height: info.height, channels: 3 as const };
    const truth = entry.hands[0]!.keypoints.map(([x, y, v]) => (v > 0 ? { x, y } : null));
    const placed = truth.filter((p) => p !== null);
    const xs = placed.map((p) => p.x);
    const ys = placed.map((p) => p.y);
    const box = boxFromDrag({ x: Math.min(...xs), y: Math.min(...ys) }, { x: Math.max(...xs), y: Math.max(...ys) });
    const found = await labelRegion(net, pixels, box);
    expect(found.confident).toBe(true);
    expect(found.uncertainty).toHaveLength(21);
    expect(handPck(truth, found.points, 0.2).pck).toBeGreaterThanOrEqual(0.8);
    net.dispose();
  });
});
