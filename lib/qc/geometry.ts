/**
 * Small 2-D geometry shared by the checks. Image coordinates: x right, y down.
 * Every helper treats an absent or non-finite joint as missing (null) rather than as 0,0.
 */
import type { THand } from "@/lib/hand/schema";
import { FINGERS, WRIST } from "@/lib/hand/skeleton";

export type Vec = { x: number; y: number };

/** MCPs across the palm, index side first. */
export const MCPS = [FINGERS.index[0], FINGERS.middle[0], FINGERS.ring[0], FINGERS.pinky[0]] as const;

/** The joint's position, or null when it is absent or has no usable position. */
export function at(hand: THand, joint: number): Vec | null {
  const p = hand.keypoints[joint];
  if (!p || p.state === "absent" || !Number.isFinite(p.x) || !Number.isFinite(p.y)) return null;
  return { x: p.x, y: p.y };
}

export const sub = (a: Vec, b: Vec): Vec => ({ x: a.x - b.x, y: a.y - b.y });
export const dot = (a: Vec, b: Vec): number => a.x * b.x + a.y * b.y;
/** z of the 3-D cross product; with y down, positive means b is clockwise of a on screen. */
export const cross = (a: Vec, b: Vec): number => a.x * b.y - a.y * b.x;
export const norm = (a: Vec): number => Math.hypot(a.x, a.y);
export const dist = (a: Vec, b: Vec): number => Math.hypot(a.x - b.x, a.y - b.y);

export function centroid(points: Vec[]): Vec | null {
  if (points.length === 0) return null;
  let x = 0;
  let y = 0;
  for (const p of points) {
    x += p.x;
    y += p.y;
  }
  return { x: x / points.length, y: y / points.length };
}

/** Unsigned angle between two vectors in degrees (0 = same direction, 180 = opposite); null for a zero vector. */
export function angleDeg(a: Vec, b: Vec): number | null {
  const n = norm(a) * norm(b);
  if (n === 0) return null;
  return (Math.acos(Math.max(-1, Math.min(1, dot(a, b) / n))) * 180) / Math.PI;
}

/** Whether segments p1p2 and q1q2 cross at a point strictly inside both (touching or collinear overlap does not count). */
export function segmentsCross(p1: Vec, p2: Vec, q1: Vec, q2: Vec): boolean {
  const d1 = cross(sub(p2, p1), sub(q1, p1));
  const d2 = cross(sub(p2, p1), sub(q2, p1));
  const d3 = cross(sub(q2, q1), sub(p1, q1));
  const d4 = cross(sub(q2, q1), sub(p2, q1));
  return d1 * d2 < 0 && d3 * d4 < 0;
}

// A palm seen at an angle shortens in one direction only, so the longer of the two palm measures is the
// most trustworthy size. Neighbouring MCPs are about 0.23 of the wrist→MCP length apart (template.ts).
const MCP_SPACING_TO_LENGTH = 0.23;

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length / 2;
  return sorted.length % 2 ? sorted[Math.floor(mid)]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/**
 * The hand's size in pixels, about the wrist→middle-MCP length: the yardstick for every distance threshold,
 * so that checks behave the same on a 224 px crop and a 4000 px photo. The larger of the palm's length
 * (median wrist→MCP) and its width (median spacing of neighbouring MCPs): medians, so that one misplaced
 * knuckle — the very mistake being looked for — does not inflate the yardstick. Falls back to half the
 * diagonal of the placed joints' extent when the palm is not labelled; null with fewer than two placed joints.
 */
export function handScale(hand: THand): number | null {
  const wrist = at(hand, WRIST);
  const mcps = MCPS.map((j, k) => ({ k, p: at(hand, j) })).filter((m): m is { k: number; p: Vec } => m.p !== null);
  const lengths = wrist ? mcps.map((m) => dist(wrist, m.p)) : [];
  const spacings: number[] = [];
  for (let i = 1; i < mcps.length; i++) spacings.push(dist(mcps[i - 1]!.p, mcps[i]!.p) / (mcps[i]!.k - mcps[i - 1]!.k));
  const best = Math.max(
    lengths.length ? median(lengths) : 0,
    spacings.length ? median(spacings) / MCP_SPACING_TO_LENGTH : 0,
  );
  if (best > 0) return best;

  const placed = hand.keypoints.map((_, i) => at(hand, i)).filter((p): p is Vec => p !== null);
  if (placed.length < 2) return null;
  const xs = placed.map((p) => p.x);
  const ys = placed.map((p) => p.y);
  const diagonal = Math.hypot(Math.max(...xs) - Math.min(...xs), Math.max(...ys) - Math.min(...ys));
  return diagonal > 0 ? diagonal / 2 : null;
}
