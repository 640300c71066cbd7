/**
 * Joints off the skin: a whole hand labelled beside the hand in the photo (shifted, or put on the wrong
 * person) has the right shape, so no geometric check can see it — only the pixels can. Where the image is
 * at hand, the server builds a small skin map of it (lib/server/qc/skin-map.ts: the display rendition,
 * shrunk to SKIN_MAP_LONG_SIDE) and this check samples it around each placed joint.
 *
 * Skin colour: the YCbCr chroma box of Chai & Ngan (1999), Cb 77–127 and Cr 133–173, with a soft edge of
 * SKIN_EDGE units; it holds for light and dark skin alike (skin differs mostly in luma), and fails on
 * greyscale photos, gloves and strongly tinted light — so the check first asks whether the photo has skin
 * colours near the hand at all, and stays silent where it does not.
 *
 * Flags: fewer than SKIN_MIN_SHARE of the placed joints on skin while the area around the hand holds at
 * least SKIN_MIN_AREA of the hand's area in skin-coloured pixels: a warning. Strong when the same hand shape,
 * moved by up to SKIN_SEARCH hand sizes, would put SKIN_FOUND_SHARE of its joints on skin — the hand is over
 * there (the flag says where); a correct hand in the sample photos keeps at least 0.8 of its joints on skin.
 * A hand shifted onto other skin (the arm, a face, a skin-coloured wall) stays on skin: colour cannot see it. A gloved hand beside
 * a face could fake that; nothing else on the sample photos did. Pure: the map is data, built elsewhere.
 */
import type { THand } from "@/lib/hand/schema";
import { JOINT_COUNT } from "@/lib/hand/skeleton";
import { flag, label, type TQualityFlag } from "./flag";
import { at, handScale } from "./geometry";

/** Long side of the skin map in pixels: joints are sampled on a disc a few map pixels wide. */
export const SKIN_MAP_LONG_SIDE = 320;
/** Soft edge of the chroma box, in Cb/Cr units. */
export const SKIN_EDGE = 6;
/** Below this share of joints on skin: a warning. */
export const SKIN_MIN_SHARE = 0.35;
/** The photo around the hand must hold skin-coloured pixels worth this share of the hand's own area. */
export const SKIN_MIN_AREA = 0.3;
/** How far (in hand sizes) to look for where the hand shape would lie on skin. */
export const SKIN_SEARCH = 3;
/** Strong only when some shift puts at least this share of the joints on skin: the hand is over there. */
export const SKIN_FOUND_SHARE = 0.7;
/** A joint's sample: a disc of this fraction of the hand's size (at least one map pixel). */
export const SKIN_SAMPLE_RADIUS = 0.04;

/** The image's skin likelihood, 0–255 per pixel, at a reduced size; `scale` maps original pixels onto it. */
export type TSkinMap = { width: number; height: number; scale: number; data: Uint8Array };

const soft = (v: number, lo: number, hi: number) =>
  v < lo ? Math.max(0, 1 - (lo - v) / SKIN_EDGE) : v > hi ? Math.max(0, 1 - (v - hi) / SKIN_EDGE) : 1;

/** How skin-like one sRGB colour is, 0–1 (chroma only; near-black pixels have no reliable chroma: 0). */
export function skinLikelihood(r: number, g: number, b: number): number {
  const y = 0.299 * r + 0.587 * g + 0.114 * b;
  if (y < 25) return 0;
  const cb = 128 - 0.168736 * r - 0.331264 * g + 0.5 * b;
  const cr = 128 + 0.5 * r - 0.418688 * g - 0.081312 * b;
  return soft(cb, 77, 127) * soft(cr, 133, 173);
}

/** The skin map of raw interleaved pixels (3 or 4 channels) that show an original of `originalWidth` pixels across. */
export function skinMapFromPixels(
  data: Uint8Array,
  info: { width: number; height: number; channels: number },
  originalWidth: number,
): TSkinMap {
  const { width, height, channels } = info;
  if (channels < 3) throw new Error(`A skin map needs colour pixels; got ${channels} channel(s)`);
  if (data.length < width * height * channels)
    throw new Error(`Pixel buffer too short: ${data.length} bytes for ${width}×${height}×${channels}`);
  const out = new Uint8Array(width * height);
  for (let i = 0, o = 0; o < out.length; i += channels, o++)
    out[o] = Math.round(255 * skinLikelihood(data[i]!, data[i + 1]!, data[i + 2]!));
  return { width, height, scale: width / originalWidth, data: out };
}

/** Mean skin likelihood (0–1) of the map on a disc at original-pixel (x, y); null when the disc is off the map. */
function sampleDisc(map: TSkinMap, x: number, y: number, radius: number): number | null {
  const cx = x * map.scale;
  const cy = y * map.scale;
  const r = Math.max(1, radius * map.scale);
  let sum = 0;
  let n = 0;
  for (let py = Math.floor(cy - r); py <= Math.ceil(cy + r); py++) {
    if (py < 0 || py >= map.height) continue;
    for (let px = Math.floor(cx - r); px <= Math.ceil(cx + r); px++) {
      if (px < 0 || px >= map.width || (px - cx) ** 2 + (py - cy) ** 2 > r * r) continue;
      sum += map.data[py * map.width + px]!;
      n++;
    }
  }
  return n ? sum / n / 255 : null;
}

/** Skin-coloured area (in original pixels²) within the rectangle, and the rectangle's area on the map. */
function skinArea(map: TSkinMap, x0: number, y0: number, x1: number, y1: number): number {
  const [a, b, c, d] = [x0, y0, x1, y1].map((v) => Math.round(v * map.scale));
  let sum = 0;
  for (let py = Math.max(0, b!); py < Math.min(map.height, d!); py++)
    for (let px = Math.max(0, a!); px < Math.min(map.width, c!); px++) sum += map.data[py * map.width + px]!;
  return sum / 255 / (map.scale * map.scale);
}

/** Per placed joint: whether it lies on skin-coloured pixels (null where unsampled), with the whole hand moved by (dx, dy). */
export function jointsOnSkin(hand: THand, map: TSkinMap, dx = 0, dy = 0): (boolean | null)[] {
  const scale = handScale(hand);
  return Array.from({ length: JOINT_COUNT }, (_, j) => {
    const p = at(hand, j);
    if (!p || !scale) return null;
    const v = sampleDisc(map, p.x + dx, p.y + dy, SKIN_SAMPLE_RADIUS * scale);
    return v === null ? null : v >= 0.5;
  });
}

/**
 * Where the same hand shape would lie on skin: the shift (within SKIN_SEARCH hand sizes, in steps of a
 * quarter hand) that puts the most joints on skin, when it puts at least SKIN_FOUND_SHARE of them there.
 */
function skinNearby(hand: THand, map: TSkinMap, scale: number): { dx: number; dy: number; share: number } | null {
  let best: { dx: number; dy: number; share: number } | null = null;
  const steps = Math.round(SKIN_SEARCH / 0.25);
  for (let i = -steps; i <= steps; i++)
    for (let k = -steps; k <= steps; k++) {
      if (i === 0 && k === 0) continue;
      const [dx, dy] = [0.25 * i * scale, 0.25 * k * scale];
      const on = jointsOnSkin(hand, map, dx, dy).filter((v) => v !== null);
      if (on.length < 4) continue;
      const share = on.filter(Boolean).length / on.length;
      if (share >= SKIN_FOUND_SHARE && (!best || share > best.share)) best = { dx, dy, share };
    }
  return best;
}

export function checkSkin(hand: THand, map: TSkinMap | undefined): TQualityFlag[] {
  if (!map) return [];
  const scale = handScale(hand);
  if (!scale) return [];
  const on = jointsOnSkin(hand, map);
  const sampled = on.flatMap((v, j) => (v === null ? [] : [{ j, v }]));
  if (sampled.length < 4) return [];
  const share = sampled.filter((s) => s.v).length / sampled.length;
  if (share >= SKIN_MIN_SHARE) return [];
  // Does this photo show skin near the hand at all? Look as far around the joints as the search below.
  const pts = sampled.map(({ j }) => at(hand, j)!);
  const [minX, maxX] = [Math.min(...pts.map((p) => p.x)), Math.max(...pts.map((p) => p.x))];
  const [minY, maxY] = [Math.min(...pts.map((p) => p.y)), Math.max(...pts.map((p) => p.y))];
  const handArea = Math.max(scale * scale, (maxX - minX) * (maxY - minY));
  const r = SKIN_SEARCH * scale;
  const around = skinArea(map, minX - r, minY - r, maxX + r, maxY + r);
  if (around < SKIN_MIN_AREA * handArea) return [];
  const off = sampled.filter((s) => !s.v).map((s) => s.j);
  const named = off.length > 4 ? `${off.length} of ${sampled.length} joints` : off.map(label).join(", ");
  const found = skinNearby(hand, map, scale);
  const where = found
    ? ` The same hand shape fits skin about ${Math.round(Math.hypot(found.dx, found.dy))} px ${direction(found.dx, found.dy)}.`
    : "";
  return [
    flag(
      "off-skin",
      found ? "strong" : "warning",
      `The labels look shifted off the hand: ${named} lie on pixels that are not skin-coloured, while the photo ` +
        `shows skin nearby.${where} Check that the whole hand was placed on the hand in the photo (or on the right ` +
        `person's hand); gloves or strongly tinted light can also cause this.`,
      off,
    ),
  ];
}

function direction(dx: number, dy: number): string {
  const h = Math.abs(dx) > 0.4 * Math.hypot(dx, dy) ? (dx > 0 ? "right" : "left") : "";
  const v = Math.abs(dy) > 0.4 * Math.hypot(dx, dy) ? (dy > 0 ? "down" : "up") : "";
  return [v, h].filter(Boolean).join(" and ") || "away";
}
