import { describe, expect, it } from "vitest";
import type { TKeypointInput } from "../hand/schema";
import { EFFICACY, efficacyDisc, measureBlurEfficacy, passesEfficacy, psnrOutside } from "./efficacy";

function hand(d: { x: number; y: number }, t: { x: number; y: number }): { keypoints: TKeypointInput[] } {
  const keypoints: TKeypointInput[] = Array.from({ length: 21 }, () => ({ x: 0, y: 0, state: "absent" as const }));
  keypoints[7] = { ...d, state: "visible" };
  keypoints[8] = { ...t, state: "visible" };
  return { keypoints };
}

describe("efficacyDisc", () => {
  it("is centred 60 % of the way from the distal joint to the tip, radius 0.6 × L, at least 4 px", () => {
    expect(efficacyDisc({ x: 10, y: 110 }, { x: 10, y: 10 })).toEqual({ cx: 10, cy: 70, r: 60 });
    expect(efficacyDisc({ x: 0, y: 3 }, { x: 0, y: 0 })!.r).toBe(EFFICACY.discMinPx);
    expect(efficacyDisc({ x: 0, y: 0 }, { x: 0, y: 0, state: "absent" })).toBeNull();
    expect(efficacyDisc({ x: 5, y: 5 }, { x: 5, y: 5 })).toBeNull();
  });
});

describe("passesEfficacy", () => {
  it("asks a ≥ 95 % drop, or at most 25 grey levels² left", () => {
    expect(passesEfficacy(1000, 49)).toBe(true);
    expect(passesEfficacy(1000, 51)).toBe(false); // 94.9 %
    expect(passesEfficacy(30, 25)).toBe(true); // almost no detail to begin with
    expect(passesEfficacy(30, 26)).toBe(false);
  });
});

describe("measureBlurEfficacy", () => {
  const W = 120;
  const H = 120;
  const ridges = () => {
    const g = new Uint8Array(W * H);
    for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) g[y * W + x] = 128 + Math.round(60 * Math.sin(x * 1.7));
    return g;
  };
  const h = hand({ x: 60, y: 100 }, { x: 60, y: 40 }); // L = 60 → disc at (60, 64), r = 36

  it("passes a flattened disc and fails an untouched one", () => {
    const flat = new Uint8Array(W * H).fill(128);
    const [blurred] = measureBlurEfficacy(ridges(), flat, W, H, [h]);
    expect(blurred).toMatchObject({ hand: 0, joint: 8, pass: true, after: 0 });
    expect(blurred!.drop).toBe(1);
    const [same] = measureBlurEfficacy(ridges(), ridges(), W, H, [h]);
    expect(same!.pass).toBe(false);
    expect(same!.drop).toBe(0);
  });

  it("looks only inside the disc: detail left just outside it does not count, detail inside does", () => {
    const out = new Uint8Array(W * H).fill(128);
    const orig = ridges();
    for (let y = 0; y < H; y++)
      for (let x = 0; x < W; x++) if (Math.hypot(x + 0.5 - 60, y + 0.5 - 64) > 37) out[y * W + x] = orig[y * W + x]!;
    expect(measureBlurEfficacy(orig, out, W, H, [h])[0]!.pass).toBe(true);
    for (let y = 60; y < 69; y++) for (let x = 45; x < 75; x++) out[y * W + x] = orig[y * W + x]!; // a sharp patch at the centre (~7 % of the disc)
    expect(measureBlurEfficacy(orig, out, W, H, [h])[0]!.pass).toBe(false);
  });
});

describe("psnrOutside", () => {
  it("is Infinity for identical pixels outside, ignores the grown regions, and falls with the error", () => {
    const a = new Uint8Array(50 * 50).fill(100);
    const b = Uint8Array.from(a);
    b[25 * 50 + 25] = 0; // inside the region
    const region = { cx: 25, cy: 25, rx: 3, ry: 3, angle: 0 };
    expect(psnrOutside(a, b, 50, 50, 1, [region], 2).psnr).toBe(Infinity);
    b[0] = 99;
    expect(psnrOutside(a, b, 50, 50, 1, [region], 2).psnr).toBeCloseTo(
      10 * Math.log10((255 * 255 * (2500 - 69)) / 1),
      0,
    );
  });
});
