import { describe, expect, it } from "vitest";
import { DEMO_CANVAS, DEMO_POSES } from "../demo/poses";
import type { TKeypointInput } from "../hand/schema";
import { DISTAL_OF_TIP, FINGERTIPS } from "../hand/skeleton";
import { ellipseAlpha, ellipseBounds, ellipseDistance, regionMask } from "./ellipse";
import { FINGERTIP_GEOMETRY, fingertipRegions, handScale } from "./fingertip-regions";
import { EFFICACY, efficacyDisc } from "./efficacy";

const IMAGE = { width: 1000, height: 800 };
type Pt = { x: number; y: number };

function hand(points: Record<number, Pt & { state?: "visible" | "occluded" }>): { keypoints: TKeypointInput[] } {
  const keypoints: TKeypointInput[] = Array.from({ length: 21 }, () => ({ x: 0, y: 0, state: "absent" as const }));
  for (const [i, p] of Object.entries(points)) keypoints[Number(i)] = { x: p.x, y: p.y, state: p.state ?? "visible" };
  return { keypoints };
}

/** A straight vertical index finger: wrist (500,700), MCP (500,400), PIP (500,300), DIP (500,240), tip (500,200). */
const straightIndex = () =>
  hand({
    0: { x: 500, y: 700 },
    5: { x: 500, y: 400 },
    6: { x: 500, y: 300 },
    7: { x: 500, y: 240 },
    8: { x: 500, y: 200 },
  });

/** Point at `along` × L from the distal joint D towards the tip T, offset `across` × L sideways. */
function onPhalanx(d: Pt, t: Pt, along: number, across = 0): Pt {
  const L = Math.hypot(t.x - d.x, t.y - d.y);
  const ux = (t.x - d.x) / L;
  const uy = (t.y - d.y) / L;
  return { x: d.x + (ux * along - uy * across) * L, y: d.y + (uy * along + ux * across) * L };
}

describe("fingertipRegions", () => {
  it("orients the ellipse along distal → tip and centres it beyond the phalanx's midpoint", () => {
    const [r] = fingertipRegions([straightIndex()], IMAGE);
    expect(r).toMatchObject({ joint: 8, hand: 0, shape: "phalanx" });
    // Tip is straight up from the DIP: direction (0, −1) → angle −π/2.
    expect(r!.angle).toBeCloseTo(-Math.PI / 2, 10);
    expect(r!.cx).toBeCloseTo(500, 10);
    expect(r!.cy).toBeCloseTo(240 - 0.6 * 40, 10); // D + 0.6·u, L = 40
    expect(r!.rx).toBeGreaterThan(r!.ry);
  });

  it("follows any direction (atan2 of distal → tip, y down)", () => {
    for (const deg of [0, 30, 135, -100, 180]) {
      const a = (deg * Math.PI) / 180;
      const d = { x: 400, y: 400 };
      const t = { x: 400 + 50 * Math.cos(a), y: 400 + 50 * Math.sin(a) };
      const [r] = fingertipRegions([hand({ 0: { x: 400, y: 700 }, 9: { x: 420, y: 550 }, 7: d, 8: t })], IMAGE);
      expect(Math.cos(r!.angle)).toBeCloseTo(Math.cos(a), 10);
      expect(Math.sin(r!.angle)).toBeCloseTo(Math.sin(a), 10);
    }
  });

  it("covers the tip, beyond the tip, the distal-side pad and its sides, but not the middle phalanx", () => {
    const h = straightIndex();
    const [r] = fingertipRegions([h], IMAGE);
    const d = h.keypoints[7]! as Pt;
    const t = h.keypoints[8]! as Pt;
    const inside = (p: Pt) => ellipseDistance(r!, p.x, p.y) < 1;
    expect(inside(t)).toBe(true);
    expect(inside(onPhalanx(d, t, 1.3))).toBe(true); // the rounded end / nail beyond the click
    expect(inside(onPhalanx(d, t, 0.05))).toBe(true); // next to the DIP crease, where the print starts
    for (const along of [0.3, 0.6, 0.9]) {
      // The pad is ~0.7·L wide: its sides (±0.35·L) are inside all along the phalanx.
      expect(inside(onPhalanx(d, t, along, 0.35))).toBe(true);
      expect(inside(onPhalanx(d, t, along, -0.35))).toBe(true);
    }
    expect(inside(onPhalanx(d, t, -0.6))).toBe(false); // the middle phalanx beyond the DIP crease stays sharp
    expect(inside(onPhalanx(d, t, 1.8))).toBe(false);
  });

  it("scales with the phalanx length", () => {
    const big = fingertipRegions([hand({ 7: { x: 100, y: 100 }, 8: { x: 100, y: 300 } })], IMAGE)[0]!;
    expect(big.rx).toBeCloseTo(1.1 * 200, 8);
    expect(big.ry).toBeCloseTo(0.85 * 200, 8);
  });

  it("keeps the measured disc (lib/blur/efficacy) inside with one JPEG block of margin, at every size and direction", () => {
    for (const L of [1, 3, 6, 10, 20, 40, 63, 64, 100, 250, 400]) {
      for (const deg of [0, 37, 90, 145, 260]) {
        const a = (deg * Math.PI) / 180;
        const d = { x: 1000, y: 1000 };
        const t = { x: d.x + L * Math.cos(a), y: d.y + L * Math.sin(a) };
        const [r] = fingertipRegions([hand({ 7: d, 8: t })], { width: 2000, height: 2000 });
        const disc = efficacyDisc({ ...t, state: "visible" }, { ...d, state: "visible" })!;
        for (let k = 0; k < 72; k++) {
          const b = (k * Math.PI) / 36;
          const reach = disc.r + EFFICACY.jpegBlockPx;
          expect(
            ellipseDistance(r!, disc.cx + reach * Math.cos(b), disc.cy + reach * Math.sin(b)),
            `L=${L} ${deg}°`,
          ).toBeLessThanOrEqual(1 + 1e-9);
        }
      }
    }
  });

  it("never goes below the minimum: max(16 px, 0.06 × hand scale, disc + 16 px)", () => {
    // A finger pointing at the camera: DIP 2 px from the tip, on a hand ~600 px long.
    const h = straightIndex();
    h.keypoints[7] = { x: 500, y: 202, state: "visible" };
    const H = handScale(h.keypoints);
    const [r] = fingertipRegions([h], IMAGE);
    expect(r!.rx).toBeCloseTo(0.06 * H, 8);
    expect(r!.ry).toBeCloseTo(0.06 * H, 8);
    // A tiny hand: the 4 px disc plus one JPEG block.
    const tiny = fingertipRegions(
      [hand({ 0: { x: 10, y: 40 }, 5: { x: 10, y: 30 }, 7: { x: 10, y: 21 }, 8: { x: 10, y: 20 } })],
      IMAGE,
    )[0]!;
    expect(tiny.rx).toBe(EFFICACY.discMinPx + FINGERTIP_GEOMETRY.discMarginPx);
    expect(tiny.ry).toBe(EFFICACY.discMinPx + FINGERTIP_GEOMETRY.discMarginPx);
  });

  it("falls back to a circle at the tip, 0.12 × hand scale, when the distal joint is absent", () => {
    const h = straightIndex();
    h.keypoints[7] = { x: 0, y: 0, state: "absent" };
    const H = handScale(h.keypoints);
    const [r] = fingertipRegions([h], IMAGE);
    expect(r).toMatchObject({ shape: "circle", cx: 500, cy: 200, angle: 0 });
    expect(r!.rx).toBeCloseTo(0.12 * H, 8);
    expect(r!.ry).toBe(r!.rx);
    // The whole pad, wherever the finger points, lies within L ≈ 0.12·H of the tip.
    expect(ellipseDistance(r!, 500, 200 + 40)).toBeLessThan(1);
  });

  it("falls back to a circle when the distal joint sits on the tip", () => {
    const [r] = fingertipRegions(
      [hand({ 0: { x: 100, y: 500 }, 9: { x: 100, y: 300 }, 11: { x: 100, y: 150 }, 12: { x: 100, y: 150 } })],
      IMAGE,
    );
    expect(r!.shape).toBe("circle");
  });

  it("sizes a lone tip from the image (half its short side as the hand scale)", () => {
    const [r] = fingertipRegions([hand({ 4: { x: 300, y: 300 } })], IMAGE);
    expect(r!.rx).toBeCloseTo(0.12 * 0.5 * 800, 8);
  });

  it("blurs occluded tips, skips absent ones, and keeps hand order", () => {
    const a = straightIndex();
    a.keypoints[8] = { ...a.keypoints[8]!, state: "occluded" };
    const b = hand({ 0: { x: 200, y: 700 }, 19: { x: 200, y: 300 }, 20: { x: 200, y: 260 } });
    const regions = fingertipRegions([a, b], IMAGE);
    expect(regions.map((r) => [r.hand, r.joint])).toEqual([
      [0, 8],
      [1, 20],
    ]);
  });

  it("drops regions that miss the image and keeps those that overlap it", () => {
    const off = hand({ 7: { x: -100, y: 50 }, 8: { x: -80, y: 50 } });
    expect(fingertipRegions([off], IMAGE)).toEqual([]);
    const edge = hand({ 7: { x: 5, y: 50 }, 8: { x: -2, y: 50 } });
    expect(fingertipRegions([edge], IMAGE)).toHaveLength(1);
  });

  it("gives every demo pose five regions, each holding its tip and distal-side pad", () => {
    for (const pose of DEMO_POSES) {
      const regions = fingertipRegions([pose], DEMO_CANVAS);
      expect(
        regions.map((r) => r.joint),
        pose.name,
      ).toEqual([...FINGERTIPS]);
      for (const r of regions) {
        const t = pose.keypoints[r.joint]!;
        const d = pose.keypoints[DISTAL_OF_TIP[r.joint]!]!;
        expect(ellipseDistance(r, t.x, t.y), `${pose.name} tip ${r.joint}`).toBeLessThan(1);
        const pad = onPhalanx(d, t, 0.3);
        expect(ellipseDistance(r, pad.x, pad.y), `${pose.name} pad ${r.joint}`).toBeLessThan(1);
      }
    }
  });
});

describe("handScale", () => {
  it("is the longest wrist → tip chain, or twice wrist → middle MCP", () => {
    expect(handScale(straightIndex().keypoints)).toBeCloseTo(300 + 100 + 60 + 40, 10);
    expect(handScale(hand({ 0: { x: 0, y: 0 }, 9: { x: 0, y: 100 } }).keypoints)).toBeCloseTo(200, 10);
    expect(handScale(hand({ 8: { x: 1, y: 1 } }).keypoints)).toBe(0);
  });

  it("does not shrink when a finger curls (path length, not span)", () => {
    const curled = hand({
      0: { x: 500, y: 700 },
      5: { x: 500, y: 400 },
      6: { x: 500, y: 300 },
      7: { x: 560, y: 300 },
      8: { x: 560, y: 340 },
    });
    expect(handScale(curled.keypoints)).toBeCloseTo(500, 10);
  });
});

describe("ellipse helpers", () => {
  const e = { cx: 50, cy: 40, rx: 20, ry: 10, angle: Math.PI / 6 };

  it("bounds contain every inside pixel and clip to the image", () => {
    const mask = regionMask([e], 100, 80);
    const b = ellipseBounds(e, 100, 80)!;
    let inside = 0;
    for (let j = 0; j < 80; j++) {
      for (let i = 0; i < 100; i++) {
        if (!mask[j * 100 + i]) continue;
        inside++;
        expect(i >= b.x0 && i <= b.x1 && j >= b.y0 && j <= b.y1).toBe(true);
      }
    }
    expect(inside).toBeGreaterThan(Math.PI * 20 * 10 * 0.95);
    expect(inside).toBeLessThan(Math.PI * 20 * 10 * 1.05);
    expect(ellipseBounds({ ...e, cx: -100 }, 100, 80)).toBeNull();
    expect(ellipseBounds({ ...e, cx: 0 }, 100, 80)!.x0).toBe(0);
  });

  it("alpha is 0 outside, 1 deep inside, and ramps only inside the rim", () => {
    expect(ellipseAlpha(e, 50, 40, 2)).toBe(1);
    expect(ellipseAlpha(e, 50 + 25 * Math.cos(e.angle), 40 + 25 * Math.sin(e.angle), 2)).toBe(0);
    const nearRim = ellipseAlpha(e, 50 + 19 * Math.cos(e.angle), 40 + 19 * Math.sin(e.angle), 2);
    expect(nearRim).toBeCloseTo(0.5, 10);
    expect(ellipseAlpha(e, 50 + 19 * Math.cos(e.angle), 40 + 19 * Math.sin(e.angle), 0)).toBe(1);
  });
});
