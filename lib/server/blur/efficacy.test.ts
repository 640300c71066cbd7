/**
 * DESIGN.md §3 rule 2 on the bytes that leave the app: the decoded exported JPEG, the blurred
 * thumbnail and the `B` preview, each measured with lib/blur/efficacy against the unblurred image of
 * the same size; and outside the blurred areas (grown by 2 JPEG blocks) PSNR ≥ 45 dB against an
 * unblurred re-encode. On generated ridge images (always) from a 6 px distal segment to a
 * 12-megapixel photo, and on the 12 real photos of ../shared/hands-sample (and those upscaled 4×).
 * Prints the minimum drop per fingertip-size band.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { fingertipRegions } from "@/lib/blur/fingertip-regions";
import type { FingertipEfficacy } from "@/lib/blur/efficacy";
import { rescaleHand } from "@/lib/annotate/hand-ops";
import { ZHand, type THand } from "@/lib/hand/schema";
import { stateFromCocoVisibility } from "@/lib/hand/skeleton";
import { encodeRenditions } from "@/lib/server/images/ingest-image";
import { BLUR_JPEG_QUALITY, blurFingertips, encodeRawJpeg } from "./blur-fingertips";
import { blurRendition } from "./blur-rendition";
import { decodeRgb, measureOutputEfficacy, MIN_PSNR_OUTSIDE_DB, psnrOutsideRegions } from "./measure-efficacy";

const SAMPLE_DIR = path.resolve(process.cwd(), "../shared/hands-sample");
const HAVE_SAMPLE = existsSync(path.join(SAMPLE_DIR, "labels.json"));

type Kind = "export" | "thumbnail" | "preview";
type Row = FingertipEfficacy & { kind: Kind; image: string };
const BANDS = [6, 12, 24, 48, 96, 192, Infinity];
const bandOf = (length: number) => {
  const i = BANDS.findIndex((edge) => length < edge);
  return i <= 0 ? `< ${BANDS[0]} px` : `${BANDS[i - 1]}–${BANDS[i] === Infinity ? "∞" : BANDS[i]} px`;
};

function hand(keypoints: { x: number; y: number; state: "visible" | "occluded" | "absent" }[]): THand {
  return ZHand.parse({ handedness: "unknown", keypoints, bbox: null, gesture: null, view: null, skinTone: null });
}

/**
 * A hand of five straight fingers pointing up, distal segments `L` px long, on a background of
 * high-contrast stripes (sharp edges right next to the fingertips, the worst case for JPEG ringing).
 * Each pad carries faint concentric ridges (period max(3 px, L/10), ±15 grey levels, as skin texture
 * photographs), so ringing that leaks in from the stripes is not drowned by the ridges it must beat.
 */
function ridgeHand(L: number, size?: { width: number; height: number }) {
  const m = Math.max(24, 1.5 * L);
  const spacing = 1.7 * L;
  const width = size?.width ?? Math.ceil(4 * spacing + 2 * m + 2 * L);
  const height = size?.height ?? Math.ceil(m + 7.5 * L + m);
  const cx = width / 2;
  const tipY = m;
  const period = Math.max(3, L / 10);
  // Wide enough that the measured disc (radius 0.6·L) holds skin only, with the stripes just beyond.
  const radius = 0.75 * L;
  const xs = [0, 1, 2, 3, 4].map((i) => cx + (i - 2) * spacing);
  const raw = Buffer.alloc(width * height * 3);
  let seed = 12345;
  const noise = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff - 0.5) * 20;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let v = Math.sin((2 * Math.PI * (x + 0.5 * y)) / 14) > 0 ? 225 : 25;
      let skin = false;
      for (const fx of xs) {
        const top = tipY + radius;
        const dy = y < top ? y - top : 0;
        if (Math.hypot(x - fx, dy) <= radius && y <= height) {
          skin = true;
          const r = Math.hypot(x - fx, y - (tipY + 0.6 * L));
          v = 170 + 15 * Math.sin((2 * Math.PI * r) / period);
        }
      }
      if (!skin) v += noise(); // sensor-like noise on the background only: the pads hold just their ridges
      const o = (y * width + x) * 3;
      raw[o] = Math.max(0, Math.min(255, Math.round(v)));
      raw[o + 1] = Math.max(0, Math.min(255, Math.round(skin ? 0.8 * v : v)));
      raw[o + 2] = Math.max(0, Math.min(255, Math.round(skin ? 0.65 * v : v)));
    }
  }
  const keypoints = Array.from({ length: 21 }, () => ({ x: 0, y: 0, state: "absent" as const })) as {
    x: number;
    y: number;
    state: "visible" | "absent";
  }[];
  keypoints[0] = { x: cx, y: tipY + 7.5 * L, state: "visible" };
  const fingers = [
    [1, 2, 3, 4],
    [5, 6, 7, 8],
    [9, 10, 11, 12],
    [13, 14, 15, 16],
    [17, 18, 19, 20],
  ];
  fingers.forEach(([mcp, pip, dip, tip], i) => {
    const x = xs[i]!;
    keypoints[tip!] = { x, y: tipY, state: "visible" };
    keypoints[dip!] = { x, y: tipY + L, state: "visible" };
    keypoints[pip!] = { x, y: tipY + 2.4 * L, state: "visible" };
    keypoints[mcp!] = { x, y: tipY + 4.4 * L, state: "visible" };
  });
  return { raw, width, height, hands: [hand(keypoints)] };
}

/** Every output that leaves the app for one stored image, measured; returns the rows and the PSNRs outside. */
async function measureAll(name: string, uploaded: Buffer, hands: THand[]) {
  const stored = await encodeRenditions(uploaded, "jpeg", false, 100_000_000);
  const size = { width: stored.width, height: stored.height };
  const rows: Row[] = [];
  const psnr: { kind: Kind; db: number }[] = [];

  const exported = await blurFingertips(stored.original, hands);
  rows.push(
    ...(await measureOutputEfficacy(stored.original, exported.jpeg, hands)).map((r) => ({
      ...r,
      kind: "export" as const,
      image: name,
    })),
  );
  const decoded = await decodeRgb(stored.original);
  const plain = await encodeRawJpeg(Buffer.from(decoded.data), decoded.width, decoded.height, BLUR_JPEG_QUALITY);
  psnr.push({ kind: "export", db: (await psnrOutsideRegions(plain, exported.jpeg, exported.regions)).psnr });

  for (const [kind, bytes] of [
    ["thumbnail", stored.thumb],
    ["preview", stored.display],
  ] as const) {
    const meta = await sharp(bytes).metadata();
    const rendition = { width: meta.width!, height: meta.height! };
    const scaled = hands.map((h) => rescaleHand(h, size, rendition));
    const out = await blurRendition(bytes, rendition, size, hands);
    rows.push(...(await measureOutputEfficacy(bytes, out, scaled)).map((r) => ({ ...r, kind, image: name })));
    const ref = await decodeRgb(bytes);
    const plainRendition = await encodeRawJpeg(Buffer.from(ref.data), ref.width, ref.height, BLUR_JPEG_QUALITY);
    psnr.push({ kind, db: (await psnrOutsideRegions(plainRendition, out, fingertipRegions(scaled, rendition))).psnr });
  }
  return { rows, psnr };
}

/** The smallest drop among discs that held real detail (there the 95 % rule, not "ends ≤ 25", decides). */
function detailed(list: Row[]): string {
  const rich = list.filter((r) => r.before >= 500);
  return rich.length ? `${(100 * Math.min(...rich.map((r) => r.drop))).toFixed(2)} % (${rich.length})` : "–";
}

function bandReport(title: string, rows: Row[], psnr: { kind: Kind; db: number }[]) {
  const lines = [
    title,
    "kind       band (|tip−DIP|)  tips  min drop   max after  flat*  min drop where before ≥ 500  fails   (* passed by 'ends ≤ 25': the original disc held little detail)",
  ];
  for (const kind of ["export", "thumbnail", "preview"] as Kind[]) {
    const byBand = new Map<string, Row[]>();
    for (const r of rows.filter((row) => row.kind === kind))
      byBand.set(bandOf(r.length), [...(byBand.get(bandOf(r.length)) ?? []), r]);
    for (const [band, list] of [...byBand].sort((a, b) => a[1][0]!.length - b[1][0]!.length)) {
      const minDrop = Math.min(...list.map((r) => r.drop));
      const maxAfter = Math.max(...list.map((r) => r.after));
      lines.push(
        `${kind.padEnd(10)} ${band.padEnd(17)} ${String(list.length).padStart(4)}  ${(100 * minDrop).toFixed(2).padStart(7)} %  ${maxAfter.toFixed(2).padStart(9)}  ${String(list.filter((r) => r.pass && r.drop < 0.95).length).padStart(5)}  ${detailed(list).padStart(28)}  ${list.filter((r) => !r.pass).length}`,
      );
    }
    const dbs = psnr.filter((p) => p.kind === kind).map((p) => p.db);
    lines.push(
      `${kind.padEnd(10)} PSNR outside (2 blocks): min ${Math.min(...dbs).toFixed(2)} dB over ${dbs.length} images`,
    );
  }
  console.log(lines.join("\n"));
}

function expectAllPass(rows: Row[], psnr: { kind: Kind; db: number }[]) {
  const failures = rows
    .filter((r) => !r.pass)
    .map(
      (r) =>
        `${r.image} ${r.kind} hand ${r.hand} joint ${r.joint} L=${r.length.toFixed(1)}: ${r.before.toFixed(1)} → ${r.after.toFixed(1)} (${(100 * r.drop).toFixed(1)} %)`,
    );
  expect(failures).toEqual([]);
  for (const p of psnr) expect(p.db, p.kind).toBeGreaterThanOrEqual(MIN_PSNR_OUTSIDE_DB);
}

describe("blur efficacy on generated ridge images, from a 6 px distal segment to a 12-megapixel photo", () => {
  it("every fingertip of the exported JPEG, the thumbnail and the preview passes; outside stays ≥ 45 dB", async () => {
    const rows: Row[] = [];
    const psnr: { kind: Kind; db: number }[] = [];
    const cases: { L: number; size?: { width: number; height: number } }[] = [
      6, 8, 11, 16, 23, 32, 45, 64, 90, 128, 180,
    ].map((L) => ({ L }));
    cases.push({ L: 280, size: { width: 4000, height: 3000 } });
    for (const { L, size } of cases) {
      const img = ridgeHand(L, size);
      const uploaded = await sharp(img.raw, { raw: { width: img.width, height: img.height, channels: 3 } })
        .jpeg({ quality: 95 })
        .toBuffer();
      const measured = await measureAll(`ridges L=${L} ${img.width}×${img.height}`, uploaded, img.hands);
      expect(measured.rows.filter((r) => r.kind === "export")).toHaveLength(5);
      rows.push(...measured.rows);
      psnr.push(...measured.psnr);
    }
    bandReport(`generated ridge images (export JPEG quality ${BLUR_JPEG_QUALITY}):`, rows, psnr);
    expectAllPass(rows, psnr);
  }, 240_000);
});

describe.skipIf(!HAVE_SAMPLE)("blur efficacy on the real photos of ../shared/hands-sample", () => {
  interface Label {
    file: string;
    hands: { keypoints: [number, number, number][] }[];
  }
  const toHand = (h: Label["hands"][number], scale: number) =>
    hand(
      h.keypoints.map(([x, y, v]) => ({ x: x * scale, y: y * scale, state: stateFromCocoVisibility(v) ?? "absent" })),
    );

  it("every labelled fingertip passes at the photos' size and upscaled 4×; outside stays ≥ 45 dB", async () => {
    const labels: Label[] = JSON.parse(readFileSync(path.join(SAMPLE_DIR, "labels.json"), "utf8"));
    const rows: Row[] = [];
    const psnr: { kind: Kind; db: number }[] = [];
    for (const label of labels) {
      const bytes = readFileSync(path.join(SAMPLE_DIR, label.file));
      for (const scale of [1, 4]) {
        const meta = await sharp(bytes).metadata();
        const input =
          scale === 1
            ? bytes
            : await sharp(bytes)
                .resize(meta.width! * scale, meta.height! * scale, { kernel: "lanczos3" })
                .jpeg({ quality: 95 })
                .toBuffer();
        const measured = await measureAll(
          `${label.file} ×${scale}`,
          input,
          label.hands.map((h) => toHand(h, scale)),
        );
        rows.push(...measured.rows);
        psnr.push(...measured.psnr);
      }
    }
    expect(rows.filter((r) => r.kind === "export").length).toBeGreaterThan(40);
    bandReport(`real photos (${SAMPLE_DIR}, export JPEG quality ${BLUR_JPEG_QUALITY}):`, rows, psnr);
    expectAllPass(rows, psnr);
  }, 240_000);
});
if (!HAVE_SAMPLE) console.log(`skipping real-photo blur efficacy: ${SAMPLE_DIR} is absent`);
