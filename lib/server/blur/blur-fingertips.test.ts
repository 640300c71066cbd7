import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { drawHandImage } from "@/lib/demo/draw-hand";
import { DEMO_POSES, demoPoseToHand } from "@/lib/demo/poses";
import type { TKeypointInput } from "@/lib/hand/schema";
import { stateFromCocoVisibility } from "@/lib/hand/skeleton";
import { ellipseBounds } from "@/lib/blur/ellipse";
import { changedOutside, laplacianDrop, laplacianVariance, toGrey } from "@/lib/blur/sharpness";
import { AppError } from "@/lib/errors/app-error";
import { BLUR_JPEG_QUALITY, blurFingertips, blurFingertipsRaw, encodeRawJpeg } from "./blur-fingertips";

const SAMPLE_DIR = path.resolve(process.cwd(), "../shared/hands-sample");
const HAVE_SAMPLE = existsSync(path.join(SAMPLE_DIR, "labels.json"));
const PLAIN = { quality: BLUR_JPEG_QUALITY, mozjpeg: false } as const;

/**
 * Stand-in for fingerprint ridges: the demo drawings are smooth, so stripes of period 4 px (ridges
 * ~0.45 mm apart on a phone photo) are added over the whole image, at 30° so they are not grid-aligned.
 */
async function withRidges(jpeg: Buffer): Promise<Buffer> {
  const { data, info } = await sharp(jpeg).raw().toBuffer({ resolveWithObject: true });
  const [c, s] = [Math.cos(Math.PI / 6), Math.sin(Math.PI / 6)];
  for (let y = 0; y < info.height; y++) {
    for (let x = 0; x < info.width; x++) {
      const ridge = 40 * Math.sin((2 * Math.PI * (x * c + y * s)) / 4);
      const o = (y * info.width + x) * info.channels;
      for (let k = 0; k < 3; k++) data[o + k] = Math.max(0, Math.min(255, Math.round(data[o + k]! + ridge)));
    }
  }
  return sharp(data, { raw: { width: info.width, height: info.height, channels: info.channels } })
    .jpeg({ quality: 95 })
    .toBuffer();
}

interface Measured {
  drop: number;
  before: number;
  after: number;
  pixels: number;
  changedOutside: number;
  regions: number;
}

/** Blurs and measures: Laplacian variance inside the regions before/after, and outside changes. */
async function measure(input: Buffer, hands: { keypoints: TKeypointInput[] }[]): Promise<Measured> {
  const raw = await blurFingertipsRaw(input, hands);
  const { width, height, regions } = raw;
  const before = laplacianVariance(toGrey(raw.original, width, height, 3), width, height, regions);
  const after = laplacianVariance(toGrey(raw.blurred, width, height, 3), width, height, regions);
  return {
    drop: laplacianDrop(before, after),
    before: before.variance,
    after: after.variance,
    pixels: before.count,
    changedOutside: changedOutside(raw.original, raw.blurred, width, height, 3, regions),
    regions: regions.length,
  };
}

function report(name: string, m: Measured): string {
  return `${name.padEnd(28)} ${m.regions} regions, ${String(m.pixels).padStart(6)} px  Laplacian var ${m.before.toFixed(1).padStart(8)} → ${m.after.toFixed(2).padStart(7)}  drop ${(100 * m.drop).toFixed(2)} %  changed outside ${m.changedOutside}`;
}

describe("blurFingertips on the demo images (with synthetic ridges)", () => {
  it("removes ≥ 95 % of the Laplacian variance inside every region, and nothing changes outside", async () => {
    const lines: string[] = [];
    const results: [string, Measured][] = [];
    for (const pose of DEMO_POSES) {
      const input = await withRidges(await drawHandImage(pose));
      const m = await measure(input, [demoPoseToHand(pose)]);
      lines.push(report(pose.name, m));
      results.push([pose.name, m]);
    }
    console.log(`demo images (640×480, 4 px ridges added):\n${lines.join("\n")}`);
    for (const [name, m] of results) {
      expect(m.regions, name).toBe(5);
      expect(m.pixels, name).toBeGreaterThan(100);
      expect(m.drop, name).toBeGreaterThanOrEqual(0.95);
      expect(m.changedOutside, name).toBe(0);
    }
  });
});

describe.skipIf(!HAVE_SAMPLE)("blurFingertips on the real photos of hands-sample", () => {
  interface Label {
    file: string;
    width: number;
    height: number;
    hands: { keypoints: [number, number, number][] }[];
  }
  const labels = (): Label[] => JSON.parse(readFileSync(path.join(SAMPLE_DIR, "labels.json"), "utf8"));
  const toHand = (h: Label["hands"][number]) => ({
    keypoints: h.keypoints.map(([x, y, v]) => ({ x, y, state: stateFromCocoVisibility(v) ?? "absent" })),
  });

  it("removes ≥ 95 % of the Laplacian variance inside every region, and nothing changes outside", async () => {
    const lines: string[] = [];
    const results: [string, Measured][] = [];
    for (const label of labels()) {
      const input = readFileSync(path.join(SAMPLE_DIR, label.file));
      const m = await measure(input, label.hands.map(toHand));
      lines.push(report(label.file, m));
      results.push([label.file, m]);
    }
    console.log(`real photos (${SAMPLE_DIR}):\n${lines.join("\n")}`);
    for (const [name, m] of results) {
      expect(m.regions, name).toBeGreaterThan(0);
      expect(m.drop, name).toBeGreaterThanOrEqual(0.95);
      expect(m.changedOutside, name).toBe(0);
    }
  });
});
if (!HAVE_SAMPLE) console.log(`skipping real-photo blur tests: ${SAMPLE_DIR} is absent`);

describe("blurFingertips output", () => {
  const pose = DEMO_POSES[0]!;

  it("is a metadata-free JPEG of the image's size, even from an input carrying EXIF", async () => {
    const input = await sharp(await drawHandImage(pose))
      .withExif({
        IFD0: { Make: "Phalanx", Model: "Test" },
        IFD3: { GPSLatitudeRef: "N", GPSLatitude: "48/1 51/1 0/1" },
      })
      .jpeg()
      .toBuffer();
    expect((await sharp(input).metadata()).exif).toBeDefined();
    const out = await blurFingertips(input, [demoPoseToHand(pose)]);
    const meta = await sharp(out.jpeg).metadata();
    expect(meta).toMatchObject({ format: "jpeg", width: 640, height: 480 });
    expect(meta.exif).toBeUndefined();
    expect(meta.icc).toBeUndefined();
    expect(meta.xmp).toBeUndefined();
    expect(meta.iptc).toBeUndefined();
    expect(out).toMatchObject({ width: 640, height: 480 });
    expect(out.regions).toHaveLength(5);
    for (const r of out.regions) expect(r.sigma).toBeGreaterThanOrEqual(3);
  });

  it("encodes exactly as a plain re-encode away from the regions", async () => {
    const input = await withRidges(await drawHandImage(pose));
    const raw = await blurFingertipsRaw(input, [demoPoseToHand(pose)]);
    // Unblurred, the raw path gives the very bytes of sharp(input).rotate().jpeg(same settings).
    const plain = await sharp(input).rotate().jpeg(PLAIN).toBuffer();
    expect((await encodeRawJpeg(raw.original, raw.width, raw.height)).equals(plain)).toBe(true);

    // Blurred, decoded pixels match the plain re-encode in every 16×16 MCU at least one MCU away
    // from every region's box (chroma upsampling reads one pixel into the neighbouring block).
    const out = await encodeRawJpeg(raw.blurred, raw.width, raw.height);
    const a = await sharp(out).raw().toBuffer();
    const b = await sharp(plain).raw().toBuffer();
    const near = new Set<string>();
    for (const r of raw.regions) {
      const box = ellipseBounds(r, raw.width, raw.height)!;
      for (let my = Math.floor(box.y0 / 16) - 1; my <= Math.floor(box.y1 / 16) + 1; my++) {
        for (let mx = Math.floor(box.x0 / 16) - 1; mx <= Math.floor(box.x1 / 16) + 1; mx++) near.add(`${mx},${my}`);
      }
    }
    let compared = 0;
    for (let y = 0; y < raw.height; y++) {
      for (let x = 0; x < raw.width; x++) {
        if (near.has(`${Math.floor(x / 16)},${Math.floor(y / 16)}`)) continue;
        const o = (y * raw.width + x) * 3;
        if (a[o] !== b[o] || a[o + 1] !== b[o + 1] || a[o + 2] !== b[o + 2]) throw new Error(`pixel ${x},${y} differs`);
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(raw.width * raw.height * 0.5);
  });

  it("keeps outside pixels identical with a feathered edge too, and blurs overlapping tips with one σ", async () => {
    const input = await withRidges(await drawHandImage(pose));
    const raw = await blurFingertipsRaw(input, [demoPoseToHand(pose)], { feather: 2 });
    expect(changedOutside(raw.original, raw.blurred, raw.width, raw.height, 3, raw.regions)).toBe(0);
    const hard = await blurFingertipsRaw(input, [demoPoseToHand(pose)]);
    expect(raw.blurred.equals(hard.blurred)).toBe(false); // the ramp did something
    // Two tips whose boxes touch share the larger σ (no seam between two blurs).
    const near = {
      keypoints: Array.from({ length: 21 }, () => ({ x: 0, y: 0, state: "absent" as const })) as TKeypointInput[],
    };
    near.keypoints[7] = { x: 100, y: 100, state: "visible" };
    near.keypoints[8] = { x: 100, y: 160, state: "visible" };
    near.keypoints[11] = { x: 130, y: 110, state: "visible" };
    near.keypoints[12] = { x: 130, y: 130, state: "visible" };
    const { regions } = await blurFingertipsRaw(input, [near]);
    expect(regions).toHaveLength(2);
    expect(regions[0]!.sigma).toBe(regions[1]!.sigma);
    expect(regions[0]!.sigma).toBeCloseTo(0.35 * (0.6 * 60 + 16), 8); // the larger tip's shorter semi-axis: disc + one JPEG block
  });

  it("blurs in the upright frame of an EXIF-rotated JPEG, a PNG with alpha, a grey JPEG and a 16-bit PNG, touching nothing outside", async () => {
    const upright = await withRidges(await drawHandImage(pose));
    const hand = demoPoseToHand(pose);
    // Stored sideways with orientation 6 (display = rotate 90° clockwise): the hand is labelled upright.
    const sideways = await sharp(upright).rotate(-90).withMetadata({ orientation: 6 }).jpeg({ quality: 95 }).toBuffer();
    const png = await sharp(upright).ensureAlpha(0.9).png().toBuffer();
    // The difference image is XORed onto 8-bit sRGB: grey and 16-bit originals are brought there first.
    const grey = await sharp(upright).greyscale().jpeg({ quality: 95 }).toBuffer();
    const deep = await sharp(upright).toColourspace("rgb16").png().toBuffer();
    expect(await sharp(deep).metadata()).toMatchObject({ depth: "ushort" });
    for (const input of [sideways, png, grey, deep]) {
      const raw = await blurFingertipsRaw(input, [hand]);
      expect(raw).toMatchObject({ width: 640, height: 480, channels: 3 });
      expect(raw.blurred.length).toBe(640 * 480 * 3);
      expect(changedOutside(raw.original, raw.blurred, 640, 480, 3, raw.regions)).toBe(0);
      const before = laplacianVariance(toGrey(raw.original, 640, 480, 3), 640, 480, raw.regions);
      const after = laplacianVariance(toGrey(raw.blurred, 640, 480, 3), 640, 480, raw.regions);
      expect(laplacianDrop(before, after)).toBeGreaterThanOrEqual(0.95);
      expect(await sharp((await blurFingertips(input, [hand])).jpeg).metadata()).toMatchObject({
        width: 640,
        height: 480,
        channels: 3,
      });
    }
  });

  it("leaves an image without placed fingertips untouched", async () => {
    const input = await drawHandImage(pose);
    const raw = await blurFingertipsRaw(input, []);
    expect(raw.regions).toEqual([]);
    expect(raw.blurred.equals(raw.original)).toBe(true);
  });

  it("refuses a non-image with a clear error", async () => {
    await expect(blurFingertips(Buffer.from("not an image"), [])).rejects.toBeInstanceOf(AppError);
    const truncated = (await drawHandImage(pose)).subarray(0, 4000);
    await expect(blurFingertips(truncated, [])).rejects.toMatchObject({ code: "invalid_input" });
  });

  it("blurs in the size it is told, and refuses a file of another size rather than blur the wrong places", async () => {
    const input = await drawHandImage(pose);
    const hands = [demoPoseToHand(pose)];
    const told = await blurFingertips(input, hands, { size: { width: 640, height: 480 } });
    expect(told.jpeg.equals((await blurFingertips(input, hands)).jpeg)).toBe(true);
    for (const size of [
      { width: 600, height: 480 },
      { width: 640, height: 960 },
    ])
      await expect(blurFingertips(input, hands, { size })).rejects.toMatchObject({ code: "invalid_input" });
  });
});
