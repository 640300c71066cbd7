import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { drawHandImage, handSvg } from "./draw-hand";
import { DEMO_POSES, demoPose } from "./poses";

async function rgbAt(img: Buffer, x: number, y: number): Promise<[number, number, number]> {
  const { data, info } = await sharp(img).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const o = (Math.round(y) * info.width + Math.round(x)) * info.channels;
  return [data[o]!, data[o + 1]!, data[o + 2]!];
}

const distance = (a: number[], b: number[]): number => Math.hypot(...a.map((v, i) => v - b[i]!));

describe("drawHandImage", () => {
  const pose = demoPose("open-palm-right")!;

  it("renders a 640×480 JPEG", async () => {
    const img = await drawHandImage(pose);
    expect(img.subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]));
    const meta = await sharp(img).metadata();
    expect(meta.format).toBe("jpeg");
    expect(meta.width).toBe(640);
    expect(meta.height).toBe(480);
  });

  it("paints skin along the bones, not background", async () => {
    const img = await drawHandImage(pose);
    const k = pose.keypoints;
    const bg = await rgbAt(img, 4, 4);
    for (const [a, b] of [
      [9, 10],
      [5, 6],
      [17, 18],
      [2, 3],
    ] as const) {
      const mid = await rgbAt(img, (k[a]!.x + k[b]!.x) / 2, (k[a]!.y + k[b]!.y) / 2);
      expect(distance(mid, bg)).toBeGreaterThan(60);
    }
    // Far from the hand it is background.
    expect(distance(await rgbAt(img, 600, 20), bg)).toBeLessThan(60);
  });

  it("is deterministic and varies between poses", async () => {
    expect(handSvg(pose)).toBe(handSvg(pose));
    const a = await drawHandImage(pose);
    const b = await drawHandImage(pose);
    expect(a.equals(b)).toBe(true);
    expect(handSvg(DEMO_POSES[1]!)).not.toBe(handSvg(pose));
  });

  it("uses no text, fonts, images or external references", () => {
    for (const p of DEMO_POSES) {
      const svg = handSvg(p);
      expect(svg).not.toMatch(/<text|<image|font|href|https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
    }
  });

  it("fills the hand with the pose's Monk swatch", async () => {
    const dark = await drawHandImage(pose, { skinTone: 10 });
    const k = pose.keypoints;
    // Middle of the palm, between wrist and middle MCP.
    const px = await rgbAt(dark, (k[0]!.x + k[9]!.x) / 2, (k[0]!.y + k[9]!.y) / 2);
    expect(distance(px, [0x29, 0x24, 0x20])).toBeLessThan(50);
    expect(() => handSvg(pose, { skinTone: 11 })).toThrow(RangeError);
  });

  it("refuses a hand without 21 keypoints", () => {
    expect(() => handSvg({ keypoints: pose.keypoints.slice(0, 20) })).toThrow(/21/);
  });
});
