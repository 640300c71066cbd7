/**
 * Fingertip blur benchmark (`npm run bench -- blur`): the cost of blurring the fingertips of a
 * 12-megapixel photo for export, against a bare decode + re-encode of the same file.
 *
 *   BENCH_BLUR_ROUNDS=7   timed rounds per step after one warm-up; the median is reported
 *
 * The photo is generated: 4000×3000, a smooth scene plus sensor-like noise (σ 14), JPEG q90, so
 * every fingertip region is full of fine detail. Two hands (demo poses scaled to ~1200 px from wrist
 * to middle fingertip, i.e. a hand filling 40 % of the frame's height), five placed fingertips each.
 */
import os from "node:os";
import sharp from "sharp";
import { fingertipRegions, handScale } from "@/lib/blur/fingertip-regions";
import { changedOutside, laplacianDrop, laplacianVariance, toGrey } from "@/lib/blur/sharpness";
import { demoPose } from "@/lib/demo/poses";
import type { TKeypointInput } from "@/lib/hand/schema";
import { BLUR_JPEG_QUALITY, blurFingertips, blurFingertipsRaw } from "@/lib/server/blur/blur-fingertips";

const ROUNDS = Number(process.env.BENCH_BLUR_ROUNDS ?? 7);
const WIDTH = 4000;
const HEIGHT = 3000;
const HAND_PX = 1200;
const log = (line: string) => process.stdout.write(`${line}\n`);

async function photo(): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}"><defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="hsl(30,30%,75%)"/><stop offset="1" stop-color="hsl(150,35%,25%)"/></linearGradient></defs><rect width="100%" height="100%" fill="url(#g)"/><ellipse cx="1100" cy="1500" rx="700" ry="1100" fill="hsl(25,45%,60%)"/><ellipse cx="2900" cy="1500" rx="700" ry="1100" fill="hsl(20,40%,45%)"/></svg>`;
  const pixels = await sharp(Buffer.from(svg)).removeAlpha().raw().toBuffer();
  const noise = await sharp({
    create: {
      width: WIDTH,
      height: HEIGHT,
      channels: 3,
      background: "#000",
      noise: { type: "gaussian", mean: 128, sigma: 14 },
    },
  })
    .raw()
    .toBuffer();
  for (let j = 0; j < pixels.length; j++) {
    const value = pixels[j]! + noise[j]! - 128;
    pixels[j] = value < 0 ? 0 : value > 255 ? 255 : value;
  }
  return sharp(pixels, { raw: { width: WIDTH, height: HEIGHT, channels: 3 } })
    .jpeg({ quality: 90 })
    .toBuffer();
}

/** A demo pose scaled so wrist → middle tip is HAND_PX, centred on (cx, cy). */
function bigHand(name: string, cx: number, cy: number): { keypoints: TKeypointInput[] } {
  const pose = demoPose(name);
  if (!pose) throw new Error(`no demo pose ${name}`);
  const k = pose.keypoints;
  const scale = HAND_PX / Math.hypot(k[12]!.x - k[0]!.x, k[12]!.y - k[0]!.y);
  const mx = k.reduce((s, p) => s + p.x, 0) / k.length;
  const my = k.reduce((s, p) => s + p.y, 0) / k.length;
  return { keypoints: k.map((p) => ({ x: cx + (p.x - mx) * scale, y: cy + (p.y - my) * scale, state: p.state })) };
}

async function median(run: () => Promise<unknown>): Promise<number> {
  await run(); // warm-up
  const times: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const started = performance.now();
    await run();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

async function main() {
  log(
    `phalanx blur benchmark: node ${process.version}, sharp ${sharp.versions.sharp} / libvips ${sharp.versions.vips}, ${os.cpus().length} CPUs (${os.cpus()[0]?.model.trim()}), libvips threads ${sharp.concurrency()}, median of ${ROUNDS}`,
  );
  const input = await photo();
  const hands = [bigHand("open-palm-right", 1100, 1500), bigHand("stop-left", 2900, 1500)];
  const regions = fingertipRegions(hands, { width: WIDTH, height: HEIGHT });
  log(
    `photo ${WIDTH}×${HEIGHT}, ${(input.length / 1e6).toFixed(2)} MB; 2 hands, scale H ≈ ${hands.map((h) => handScale(h.keypoints).toFixed(0)).join(" / ")} px; ` +
      `${regions.length} regions, semi-axes ${regions.map((r) => `${r.rx.toFixed(0)}×${r.ry.toFixed(0)}`).join(" ")} px`,
  );

  const settings = { quality: BLUR_JPEG_QUALITY, mozjpeg: false } as const;
  const bare = await median(() => sharp(input, { failOn: "truncated" }).rotate().jpeg(settings).toBuffer());
  const rawOnly = await median(() => blurFingertipsRaw(input, hands));
  const full = await median(() => blurFingertips(input, hands));

  const rows: [string, number][] = [
    ["(a) bare: sharp decode + JPEG re-encode (q92)", bare],
    ["(b) blurFingertipsRaw: decode + blur, raw out", rawOnly],
    ["(c) blurFingertips: decode + blur + JPEG (q92)", full],
  ];
  log("");
  log(`${"step".padEnd(48)}  ${"ms".padStart(7)}  × bare`);
  for (const [step, ms] of rows) log(`${step.padEnd(48)}  ${ms.toFixed(0).padStart(7)}  ${(ms / bare).toFixed(2)}`);

  // The blur is also checked here on this noisy photo, at full size.
  const raw = await blurFingertipsRaw(input, hands);
  const before = laplacianVariance(toGrey(raw.original, WIDTH, HEIGHT, 3), WIDTH, HEIGHT, raw.regions);
  const after = laplacianVariance(toGrey(raw.blurred, WIDTH, HEIGHT, 3), WIDTH, HEIGHT, raw.regions);
  log("");
  log(
    `σ per region ${[...new Set(raw.regions.map((r) => r.sigma.toFixed(1)))].join(", ")} px; Laplacian variance inside ${before.variance.toFixed(0)} → ${after.variance.toFixed(2)} ` +
      `over ${before.count} px: drop ${(100 * laplacianDrop(before, after)).toFixed(2)} %; pixels changed outside: ${changedOutside(raw.original, raw.blurred, WIDTH, HEIGHT, 3, raw.regions)}`,
  );
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
