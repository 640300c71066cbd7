/**
 * Where to blur: one elliptic region per placed fingertip, covering the whole distal pad (where the
 * fingerprint is) and the nail. DESIGN.md §3 rule 2: no exported image carries readable fingertips,
 * measured on the bytes that leave (./efficacy): a disc centred 0.6·L from the distal joint, radius
 * r = max(4 px, 0.6·L), must lose ≥ 95 % of its Laplacian variance after the JPEG encode.
 *
 * Geometry (image pixels, y down; T = tip, D = its distal joint, DISTAL_OF_TIP; u = T − D, L = |u|):
 *
 *   - Centre C = D + 0.6·u: the measured disc's centre (the pad's whorl sits there).
 *   - Semi-axes rx = 1.1·L along u and ry = 0.85·L across, and never less than r + 16 px: the disc
 *     then lies inside the fully blurred area with a margin of at least one JPEG block (16 px with
 *     4:2:0 chroma), because a JPEG encode spreads ringing from the sharp rim within its blocks. For
 *     L ≥ 64 px the proportional terms already give ≥ 0.25·L ≥ 16 px of margin across. Along u the
 *     region reaches 0.5·L behind D (the DIP crease) and 0.5·L beyond T (the rounded end, the nail's
 *     free edge, a click that landed short of the true end).
 *   - Minimum rMin = max(16 px, 0.06·H) on both semi-axes, H being the hand scale below (≈ hand
 *     length, ≈ 190 mm for an adult, so rMin ≈ 11 mm: a pad's half-length). It takes over when the
 *     finger points at the camera: then L → 0 yet the pad faces the lens, centred near the tip.
 *   - No distal joint placed (or it coincides with the tip): the direction is unknown, so a circle
 *     of radius max(rMin, 0.12·H) ≈ 23 mm around the tip, which holds the pad whichever way the
 *     finger points (the pad reaches ~L ≈ 0.12·H back from the tip).
 *
 * (Measured with semi-axes 0.85·L × 0.6·L and no block margin, 25 of 155 fingertips of real photos fell
 * short after the export's encode: the rim straddled the pad and ringing reached into it.)
 *
 * Hand scale H = the longest placed chain from the wrist along a finger (wrist → MCP → PIP → DIP →
 * tip, summing the segments whose both ends are placed), or 2 × |wrist → middle MCP| if larger.
 * Path length, unlike a box diagonal, neither shrinks when fingers curl nor grows when they spread.
 * A hand with no usable segment (e.g. a lone tip) takes H = ½ of the image's short side.
 *
 * Regions are returned unclipped (a centre may lie outside the image) but only if some pixel of the
 * image falls inside them: the blur clips each region to the image when it rasterises it.
 */
import type { TKeypointInput } from "../hand/schema";
import { DISTAL_OF_TIP, FINGERS, FINGER_NAMES, FINGERTIPS, WRIST } from "../hand/skeleton";
import { ellipseBounds, pixelInside, type Ellipse } from "./ellipse";
import { EFFICACY } from "./efficacy";

export interface FingertipRegion extends Ellipse {
  /** Index of the hand in the input array. */
  hand: number;
  /** The fingertip joint (4, 8, 12, 16 or 20). */
  joint: number;
  /** "phalanx": oriented along distal → tip; "circle": fallback, no distal joint placed. */
  shape: "phalanx" | "circle";
}

export interface RegionGeometry {
  centreAlong: number;
  majorPerLength: number;
  minorPerLength: number;
  minPx: number;
  minPerHand: number;
  circlePerHand: number;
  /** Least distance (px) from the measured disc's rim to the region's rim. */
  discMarginPx: number;
}

export const FINGERTIP_GEOMETRY: Readonly<RegionGeometry> = {
  centreAlong: EFFICACY.discAlong,
  majorPerLength: 1.1,
  minorPerLength: 0.85,
  minPx: 16,
  minPerHand: 0.06,
  circlePerHand: 0.12,
  discMarginPx: EFFICACY.jpegBlockPx,
};

/** The keypoints a region needs: anything with 21 keypoints (a THand, a DemoPose, an import row). */
export interface HandKeypoints {
  keypoints: readonly TKeypointInput[];
}

type Pt = { x: number; y: number };

function placed(p: TKeypointInput | undefined): p is TKeypointInput {
  return !!p && p.state !== "absent" && Number.isFinite(p.x) && Number.isFinite(p.y);
}

const dist = (a: Pt, b: Pt) => Math.hypot(b.x - a.x, b.y - a.y);

/** H, the hand's scale in pixels (see the header); 0 when no segment is placed. */
export function handScale(keypoints: readonly TKeypointInput[]): number {
  let best = 0;
  for (const finger of FINGER_NAMES) {
    let length = 0;
    let prev = WRIST;
    for (const j of FINGERS[finger]) {
      const a = keypoints[prev];
      const b = keypoints[j];
      if (placed(a) && placed(b)) length += dist(a, b);
      prev = j;
    }
    best = Math.max(best, length);
  }
  const wrist = keypoints[WRIST];
  const middleMcp = keypoints[FINGERS.middle[0]];
  if (placed(wrist) && placed(middleMcp)) best = Math.max(best, 2 * dist(wrist, middleMcp));
  return best;
}

/** The blur region of each placed fingertip of each hand (visible or occluded), in hand order. */
export function fingertipRegions(
  hands: readonly HandKeypoints[],
  image: { width: number; height: number },
  geometry: RegionGeometry = FINGERTIP_GEOMETRY,
): FingertipRegion[] {
  const g = geometry;
  const regions: FingertipRegion[] = [];
  hands.forEach((hand, handIndex) => {
    const scale = handScale(hand.keypoints) || 0.5 * Math.min(image.width, image.height);
    const rMin = Math.max(g.minPx, g.minPerHand * scale);
    for (const joint of FINGERTIPS) {
      const tip = hand.keypoints[joint];
      if (!placed(tip)) continue;
      const distal = hand.keypoints[DISTAL_OF_TIP[joint]!];
      const length = placed(distal) ? dist(distal, tip) : 0;
      let region: FingertipRegion;
      if (placed(distal) && length > 1e-6) {
        const ux = (tip.x - distal.x) / length;
        const uy = (tip.y - distal.y) / length;
        // The measured disc (./efficacy) plus one JPEG block, whatever the proportions give.
        const floor = Math.max(rMin, Math.max(EFFICACY.discMinPx, EFFICACY.discPerLength * length) + g.discMarginPx);
        region = {
          cx: distal.x + ux * g.centreAlong * length,
          cy: distal.y + uy * g.centreAlong * length,
          rx: Math.max(g.majorPerLength * length, floor),
          ry: Math.max(g.minorPerLength * length, floor),
          angle: Math.atan2(uy, ux),
          hand: handIndex,
          joint,
          shape: "phalanx",
        };
      } else {
        const r = Math.max(rMin, g.circlePerHand * scale);
        region = { cx: tip.x, cy: tip.y, rx: r, ry: r, angle: 0, hand: handIndex, joint, shape: "circle" };
      }
      if (touchesImage(region, image.width, image.height)) regions.push(region);
    }
  });
  return regions;
}

/** Whether any pixel centre of the image lies inside the ellipse (the logical clip). */
function touchesImage(e: Ellipse, width: number, height: number): boolean {
  const b = ellipseBounds(e, width, height);
  if (!b) return false;
  // Usually the pixel nearest the centre answers at once; only regions hanging off the image scan.
  const ci = Math.min(b.x1, Math.max(b.x0, Math.floor(e.cx)));
  const cj = Math.min(b.y1, Math.max(b.y0, Math.floor(e.cy)));
  if (pixelInside(e, ci, cj)) return true;
  for (let j = b.y0; j <= b.y1; j++) {
    for (let i = b.x0; i <= b.x1; i++) {
      if (pixelInside(e, i, j)) return true;
    }
  }
  return false;
}
