import { describe, expect, it } from "vitest";
import { ellipseAlpha, insideRun, pixelInside, type Ellipse } from "./ellipse";

const tilted: Ellipse = { cx: 20.3, cy: 14.8, rx: 9.5, ry: 5.2, angle: 0.6 };
const round: Ellipse = { cx: 31, cy: 18, rx: 6, ry: 6, angle: 0 };

describe("insideRun", () => {
  it("is, row by row, exactly the pixels whose centres pixelInside puts inside", () => {
    const shapes: Ellipse[] = [tilted, round, { cx: 50.5, cy: 40.5, rx: 0.4, ry: 0.3, angle: 1.1 }];
    for (let k = 0; k < 200; k++) {
      const t = k / 200;
      shapes.push({ cx: 20 + 13.7 * t, cy: 18 - 9.1 * t, rx: 1 + 30 * t, ry: 0.5 + 17 * (1 - t), angle: 7 * t - 3 });
    }
    let inside = 0;
    const wrong: string[] = [];
    for (const e of shapes) {
      for (let j = -5; j < 70; j++) {
        const run = insideRun(e, j, 0, 63);
        for (let i = 0; i < 64; i++) {
          const expected = pixelInside(e, i, j);
          if ((run !== null && i >= run.from && i <= run.to) !== expected)
            wrong.push(`${JSON.stringify(e)} at ${i},${j}`);
          if (expected) inside++;
        }
      }
    }
    expect(wrong).toEqual([]);
    expect(inside).toBeGreaterThan(10_000);
  });

  it("clips to [x0, x1] and is null for rows the ellipse misses", () => {
    expect(insideRun(round, 18, 28, 29)).toEqual({ from: 28, to: 29 });
    expect(insideRun(round, 18, 100, 120)).toBeNull();
    expect(insideRun(round, 30, 0, 63)).toBeNull();
    expect(ellipseAlpha(round, 31, 18)).toBe(1);
  });
});
