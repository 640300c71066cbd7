import { describe, expect, it } from "vitest";
import { alphaMask, ellipseAlpha, pixelInside, type Ellipse } from "./ellipse";

const tilted: Ellipse = { cx: 20.3, cy: 14.8, rx: 9.5, ry: 5.2, angle: 0.6 };
const round: Ellipse = { cx: 31, cy: 18, rx: 6, ry: 6, angle: 0 };

describe("alphaMask", () => {
  it("is 255 exactly where a pixel centre lies inside an ellipse, 0 elsewhere, in the box's own frame", () => {
    const box = { x0: 5, y0: 3, width: 40, height: 30 };
    const mask = alphaMask([tilted, round], box);
    let inside = 0;
    for (let j = 0; j < box.height; j++) {
      for (let i = 0; i < box.width; i++) {
        const [x, y] = [box.x0 + i, box.y0 + j];
        const expected = ellipseAlpha(tilted, x + 0.5, y + 0.5) > 0 || ellipseAlpha(round, x + 0.5, y + 0.5) > 0;
        expect(mask[j * box.width + i], `${x},${y}`).toBe(expected ? 255 : 0);
        if (expected) {
          inside++;
          expect(pixelInside(tilted, x, y) || pixelInside(round, x, y)).toBe(true);
        }
      }
    }
    expect(inside).toBeGreaterThan(200); // π·9.5·5.2 + π·36 ≈ 268, minus their overlap
  });

  it("ramps inside the rim with a feather, taking the larger weight where ellipses overlap", () => {
    const box = { x0: 0, y0: 0, width: 48, height: 32 };
    const mask = alphaMask([tilted, round], box, 3);
    const ramp = [...mask].filter((a) => a > 0 && a < 255);
    expect(ramp.length).toBeGreaterThan(20);
    for (let j = 0; j < box.height; j++) {
      for (let i = 0; i < box.width; i++) {
        const a = Math.max(ellipseAlpha(tilted, i + 0.5, j + 0.5, 3), ellipseAlpha(round, i + 0.5, j + 0.5, 3));
        expect(mask[j * box.width + i]).toBe(Math.round(255 * a));
      }
    }
  });

  it("clips ellipses reaching outside the box", () => {
    const mask = alphaMask([round], { x0: 29, y0: 15, width: 4, height: 4 });
    expect([...mask]).toEqual(new Array(16).fill(255));
    expect([...alphaMask([round], { x0: 100, y0: 100, width: 3, height: 2 })]).toEqual([0, 0, 0, 0, 0, 0]);
  });
});
