/**
 * Renders a demo pose as a photo stand-in: a flat-ish hand silhouette on a plain background,
 * drawn as SVG and rasterised to JPEG by sharp. No text (so no fonts), no network, no randomness:
 * the same pose always produces the same picture. Keypoints are NOT drawn — annotators must place them.
 */
import sharp from "sharp";
import type { TKeypointInput } from "../hand/schema";
import { MONK_SKIN_TONES, monkSwatch } from "../hand/skin-tone";
import { FINGERS, FINGER_NAMES, type FingerName } from "../hand/skeleton";
import { DEMO_CANVAS } from "./poses";

export interface DrawablePose {
  keypoints: readonly TKeypointInput[];
  /** Per-joint depth, larger = nearer the camera; without it every finger lies in the palm plane. */
  depth?: readonly number[];
  /** Monk tone 1–10; defaults to one derived from the name. */
  skinTone?: number;
  /** Background colour (#rrggbb); defaults to one derived from the name. */
  background?: string;
  name?: string;
}

export interface DrawOptions {
  /** JPEG quality 1–100 (default 88). */
  quality?: number;
  skinTone?: number;
  background?: string;
}

type Pt = { x: number; y: number };

const BACKGROUNDS = ["#5b7083", "#c9c2b4", "#3f5a4a", "#7a6a8c", "#d8c7a8", "#4a4038"] as const;

// Finger thickness as a fraction of palm length; a real finger is about a fifth of the palm's length wide.
const FINGER_WIDTH: Record<FingerName, number> = {
  thumb: 0.24,
  index: 0.2,
  middle: 0.21,
  ring: 0.19,
  pinky: 0.16,
};

/** Small stable string hash (FNV-1a) so the default colours are a pure function of the name. */
function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

function parseHex(hex: string): [number, number, number] {
  const m = /^#?([0-9a-f]{6})$/i.exec(hex);
  if (!m) throw new Error(`expected a #rrggbb colour, got ${hex}`);
  const n = parseInt(m[1]!, 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

/** Mix a colour towards black (t < 0) or white (t > 0). */
function shade(hex: string, t: number): string {
  const target = t < 0 ? 0 : 255;
  const k = Math.abs(t);
  const rgb = parseHex(hex).map((c) => Math.round(c + (target - c) * k));
  return `#${rgb.map((c) => c.toString(16).padStart(2, "0")).join("")}`;
}

const dist = (a: Pt, b: Pt): number => Math.hypot(a.x - b.x, a.y - b.y);
const f1 = (v: number): string => v.toFixed(1);

/** Convex hull (monotone chain); keeps the palm polygon valid whatever the pose. */
function convexHull(points: Pt[]): Pt[] {
  const pts = [...points].sort((a, b) => a.x - b.x || a.y - b.y);
  if (pts.length < 3) return pts;
  const cross = (o: Pt, a: Pt, b: Pt): number => (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x);
  const lower: Pt[] = [];
  for (const p of pts) {
    while (lower.length >= 2 && cross(lower[lower.length - 2]!, lower[lower.length - 1]!, p) <= 0) lower.pop();
    lower.push(p);
  }
  const upper: Pt[] = [];
  for (const p of [...pts].reverse()) {
    while (upper.length >= 2 && cross(upper[upper.length - 2]!, upper[upper.length - 1]!, p) <= 0) upper.pop();
    upper.push(p);
  }
  return [...lower.slice(0, -1), ...upper.slice(0, -1)];
}

const polygon = (pts: Pt[]): string => pts.map((p) => `${f1(p.x)},${f1(p.y)}`).join(" ");

/** The SVG document for a pose (exported for inspection and tests). */
export function handSvg(pose: DrawablePose, opts: DrawOptions = {}): string {
  const { width, height } = DEMO_CANVAS;
  const kp = pose.keypoints;
  if (kp.length !== 21) throw new Error(`a hand has 21 keypoints, got ${kp.length}`);
  const seed = hash(pose.name ?? JSON.stringify(kp.slice(0, 3)));
  const skin = monkSwatch(opts.skinTone ?? pose.skinTone ?? (seed % MONK_SKIN_TONES.length) + 1);
  const bg = opts.background ?? pose.background ?? BACKGROUNDS[seed % BACKGROUNDS.length]!;
  const p = (i: number): Pt => ({ x: kp[i]!.x, y: kp[i]!.y });
  const depth = (i: number): number => pose.depth?.[i] ?? 0;

  // Palm length sets every thickness; the knuckle span stands in when the palm is foreshortened.
  const palm = Math.max(dist(p(0), p(9)), dist(p(5), p(17)) * 1.4, 20);
  const outline = shade(skin, -0.28);
  const highlight = shade(skin, 0.35);

  // Wrist edge: perpendicular to the wrist → middle-knuckle axis.
  const ax = (p(9).x - p(0).x) / dist(p(0), p(9)) || 0;
  const ay = (p(9).y - p(0).y) / dist(p(0), p(9)) || -1;
  const half = palm * 0.3;
  const wristL = { x: p(0).x - ay * half, y: p(0).y + ax * half };
  const wristR = { x: p(0).x + ay * half, y: p(0).y - ax * half };
  const back = palm * 2.5; // the forearm runs off towards (and usually past) the image edge
  const forearm = [
    wristL,
    wristR,
    { x: wristR.x - ax * back, y: wristR.y - ay * back },
    { x: wristL.x - ax * back, y: wristL.y - ay * back },
  ];
  const palmHull = convexHull([wristL, wristR, p(1), p(2), p(5), p(9), p(13), p(17)]);

  type Layer = { depth: number; svg: string };
  const layers: Layer[] = [
    {
      depth: 0,
      svg:
        `<polygon points="${polygon(palmHull)}" fill="${skin}" stroke="${outline}" ` +
        `stroke-width="${f1(palm * 0.14)}" stroke-linejoin="round"/>` +
        `<polygon points="${polygon(palmHull)}" fill="url(#palmShade)" stroke="${skin}" ` +
        `stroke-width="${f1(palm * 0.1)}" stroke-linejoin="round"/>`,
    },
  ];
  for (const finger of FINGER_NAMES) {
    const idx = FINGERS[finger];
    const w = palm * FINGER_WIDTH[finger];
    const d = "M" + idx.map((i) => `${f1(p(i).x)} ${f1(p(i).y)}`).join(" L");
    const tip = p(idx[3]);
    const stroke = (color: string, sw: number, extra = ""): string =>
      `<path d="${d}" fill="none" stroke="${color}" stroke-width="${f1(sw)}" ` +
      `stroke-linecap="round" stroke-linejoin="round"${extra}/>`;
    layers.push({
      // Layer by the finger's mean depth so curled fingers in front of the palm cover it.
      depth: (depth(idx[1]) + depth(idx[2]) + depth(idx[3])) / 3,
      svg:
        stroke(outline, w + 3) +
        stroke(skin, w) +
        stroke(highlight, w * 0.25, ` opacity="0.35" transform="translate(${f1(-w * 0.15)} ${f1(-w * 0.15)})"`) +
        `<circle cx="${f1(tip.x)}" cy="${f1(tip.y)}" r="${f1(w * 0.3)}" fill="${highlight}" opacity="0.18"/>`,
    });
  }
  // Stable order: sort by depth, ties keep insertion order (palm before fingers).
  const ordered = layers.map((l, i) => ({ ...l, i })).sort((a, b) => a.depth - b.depth || a.i - b.i);

  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    `<defs>`,
    `<linearGradient id="bg" x1="0" y1="0" x2="0.3" y2="1">`,
    `<stop offset="0" stop-color="${shade(bg, 0.12)}"/><stop offset="1" stop-color="${shade(bg, -0.18)}"/>`,
    `</linearGradient>`,
    `<radialGradient id="palmShade" cx="0.45" cy="0.4" r="0.7">`,
    `<stop offset="0" stop-color="${highlight}" stop-opacity="0.25"/>`,
    `<stop offset="0.6" stop-color="${skin}" stop-opacity="0"/>`,
    `<stop offset="1" stop-color="${outline}" stop-opacity="0.3"/>`,
    `</radialGradient>`,
    `</defs>`,
    `<rect width="${width}" height="${height}" fill="url(#bg)"/>`,
    `<polygon points="${polygon(forearm)}" fill="${shade(skin, -0.06)}" stroke="${outline}" stroke-width="2"/>`,
    ...ordered.map((l) => l.svg),
    `</svg>`,
  ].join("\n");
}

/** A 640×480 JPEG of the pose. */
export async function drawHandImage(pose: DrawablePose, opts: DrawOptions = {}): Promise<Buffer> {
  const quality = Math.min(100, Math.max(1, Math.round(opts.quality ?? 88)));
  return sharp(Buffer.from(handSvg(pose, opts)))
    .flatten({ background: "#000000" })
    .jpeg({ quality, mozjpeg: false })
    .toBuffer();
}
