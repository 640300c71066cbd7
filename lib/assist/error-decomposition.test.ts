import { describe, expect, it } from "vitest";
import { applySimilarity, decomposeError, fitSimilarity } from "./error-decomposition";

/** An open hand: wrist at the origin, five straight fingers fanned upwards. */
const hand = [{ x: 0, y: 0 }];
for (let f = 0; f < 5; f++) for (let k = 0; k < 4; k++) hand.push({ x: -40 + 20 * f, y: -50 - 20 * k });

describe("error decomposition", () => {
  it("fits a similarity exactly, and about a fixed pivot", () => {
    const t = { ar: 1.2 * Math.cos(0.3), ai: 1.2 * Math.sin(0.3), bx: 15, by: -7 };
    const moved = hand.map((p) => applySimilarity(t, p));
    const fit = fitSimilarity(hand, moved)!;
    expect(fit.ar).toBeCloseTo(t.ar, 9);
    expect(fit.ai).toBeCloseTo(t.ai, 9);
    expect(fit.bx).toBeCloseTo(t.bx, 9);
    expect(fit.by).toBeCloseTo(t.by, 9);
    // About the pivot (0, 0) the translation must be 0: the fit can only turn and scale.
    const pivoted = fitSimilarity(hand, moved, { x: 0, y: 0 })!;
    expect(pivoted.bx).toBe(0);
    expect(fitSimilarity([hand[0]], [hand[1]])).toBeNull();
  });

  it("a turned and shifted hand is fixed by the whole-hand fit; a bent finger by the finger fit", () => {
    const t = { ar: Math.cos(0.2), ai: Math.sin(0.2), bx: 9, by: 4 };
    const turned = hand.map((p) => applySimilarity(t, p));
    const d = decomposeError(hand, turned, 2);
    expect(d.labelled).toBe(21);
    expect(d.raw).toBeLessThan(21);
    expect(d.global).toBe(21);
    expect(d.offAfter).toEqual({ wrist: 0, base: 0, middle: 0, tip: 0 });
    // The index finger (5..8) bent 0.5 rad about its MCP: three joints off; the finger fit restores them.
    const mcp = hand[5]!;
    const bent = hand
      .map((p, j) =>
        j > 5 && j <= 8
          ? applySimilarity({ ar: Math.cos(0.5), ai: Math.sin(0.5), bx: 0, by: 0 }, { x: p.x - mcp.x, y: p.y - mcp.y })
          : p,
      )
      .map((p, j) => (j > 5 && j <= 8 ? { x: p.x + mcp.x, y: p.y + mcp.y } : p));
    const b = decomposeError(hand, bent, 2);
    expect(b.raw).toBe(18);
    expect(b.fingers).toBe(21);
    // The bent finger drags the whole-hand fit off the other bases: the decomposition shows it as base error.
    expect(b.global).toBeLessThan(21);
  });
});
