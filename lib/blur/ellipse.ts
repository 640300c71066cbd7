/**
 * Rotated ellipses on the pixel grid: the one definition of "inside a blur region", shared by the
 * blur itself (lib/server/blur) and by the sharpness measurement (./sharpness), so the two can never
 * disagree about which pixels were meant to be blurred.
 *
 * Conventions (DESIGN.md §1): image pixels, origin top-left, x right, y down. Pixel (i, j) covers
 * [i, i+1) × [j, j+1) and is sampled at its centre (i + ½, j + ½). `angle` is the direction of the
 * `rx` semi-axis in radians, measured from +x towards +y (clockwise on screen, as SVG's rotate()).
 */

export interface Ellipse {
  cx: number;
  cy: number;
  /** Semi-axis along `angle`. */
  rx: number;
  /** Semi-axis across `angle`. */
  ry: number;
  angle: number;
}

/** Inclusive pixel index ranges. */
export interface PixelBounds {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/**
 * Normalised distance of point (x, y) from the ellipse's centre: 0 at the centre, 1 on the boundary,
 * > 1 outside. (Rotate into the ellipse's frame, then the unit-circle test.)
 */
export function ellipseDistance(e: Ellipse, x: number, y: number): number {
  const dx = x - e.cx;
  const dy = y - e.cy;
  const c = Math.cos(e.angle);
  const s = Math.sin(e.angle);
  const u = (c * dx + s * dy) / e.rx;
  const v = (-s * dx + c * dy) / e.ry;
  return Math.sqrt(u * u + v * v);
}

/**
 * Blend weight of a pixel centre: 0 outside or on the boundary, 1 inside, with an optional linear
 * ramp of `feather` px INSIDE the boundary (never outside, so pixels outside stay untouched).
 * Distance to the boundary is measured along the ray from the centre, |p|·(1 − d)/d: it is never
 * less than the true distance, so the ramp is at most `feather` px wide.
 */
export function ellipseAlpha(e: Ellipse, x: number, y: number, feather = 0): number {
  const d = ellipseDistance(e, x, y);
  if (d >= 1) return 0;
  if (feather <= 0 || d === 0) return 1;
  const along = Math.hypot(x - e.cx, y - e.cy) * ((1 - d) / d);
  return Math.min(1, along / feather);
}

/** True when the pixel's centre lies inside (or on) the ellipse. */
export function pixelInside(e: Ellipse, i: number, j: number): boolean {
  return ellipseDistance(e, i + 0.5, j + 0.5) <= 1;
}

/** Axis-aligned half extents of the rotated ellipse. */
export function ellipseHalfExtents(e: Ellipse): { hx: number; hy: number } {
  const c = Math.cos(e.angle);
  const s = Math.sin(e.angle);
  return {
    hx: Math.sqrt(e.rx * e.rx * c * c + e.ry * e.ry * s * s),
    hy: Math.sqrt(e.rx * e.rx * s * s + e.ry * e.ry * c * c),
  };
}

/**
 * The pixels whose centres may lie inside the ellipse, grown by `margin` px and clipped to the image;
 * null when that box misses the image entirely.
 */
export function ellipseBounds(e: Ellipse, width: number, height: number, margin = 0): PixelBounds | null {
  const { hx, hy } = ellipseHalfExtents(e);
  const x0 = Math.max(0, Math.ceil(e.cx - hx - 0.5 - margin));
  const y0 = Math.max(0, Math.ceil(e.cy - hy - 0.5 - margin));
  const x1 = Math.min(width - 1, Math.floor(e.cx + hx - 0.5 + margin));
  const y1 = Math.min(height - 1, Math.floor(e.cy + hy - 0.5 + margin));
  return x0 <= x1 && y0 <= y1 ? { x0, y0, x1, y1 } : null;
}

/** 1 for every pixel whose centre lies inside any of the ellipses, else 0 (row-major, width × height). */
export function regionMask(regions: readonly Ellipse[], width: number, height: number): Uint8Array {
  const mask = new Uint8Array(width * height);
  for (const e of regions) {
    const b = ellipseBounds(e, width, height);
    if (!b) continue;
    for (let j = b.y0; j <= b.y1; j++) {
      for (let i = b.x0; i <= b.x1; i++) {
        if (pixelInside(e, i, j)) mask[j * width + i] = 1;
      }
    }
  }
  return mask;
}

/**
 * The pixels of row j whose centres lie inside the ellipse, as one run (an ellipse is convex), within
 * [x0, x1]; null when there is none. The row's quadratic is solved, then both ends are settled with
 * pixelInside itself, so the verdicts are pixelInside's own: a 12-megapixel export would otherwise test
 * ~10⁶ pixels one by one.
 */
export function insideRun(e: Ellipse, j: number, x0: number, x1: number): { from: number; to: number } | null {
  // Inside: (c·dx + s·dy)²/rx² + (−s·dx + c·dy)²/ry² ≤ 1, i.e. a·dx² + b·dx + q ≤ 0 at the row's dy.
  const c = Math.cos(e.angle);
  const s = Math.sin(e.angle);
  const dy = j + 0.5 - e.cy;
  const [irx2, iry2] = [1 / (e.rx * e.rx), 1 / (e.ry * e.ry)];
  const a = c * c * irx2 + s * s * iry2;
  const b = 2 * dy * c * s * (irx2 - iry2);
  const q = dy * dy * (s * s * irx2 + c * c * iry2) - 1;
  const disc = b * b - 4 * a * q;
  if (disc < 0) return null;
  const root = Math.sqrt(disc);
  let from = Math.max(x0, Math.ceil(e.cx + (-b - root) / (2 * a) - 0.5));
  let to = Math.min(x1, Math.floor(e.cx + (-b + root) / (2 * a) - 0.5));
  while (from <= to && !pixelInside(e, from, j)) from++;
  while (from > x0 && pixelInside(e, from - 1, j)) from--;
  while (to >= from && !pixelInside(e, to, j)) to--;
  while (to >= from && to < x1 && pixelInside(e, to + 1, j)) to++;
  return from <= to ? { from, to } : null;
}
