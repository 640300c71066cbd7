import { describe, expect, it } from "vitest";
import { dragHand, handDragKind } from "./hand-drag";

import { flatHand, image } from "./drag-test-fixtures";

describe("hand drag", () => {
  it("names what a drag of each joint does", () => {
    expect(handDragKind(0)).toBe("move");
    expect([5, 9, 13, 17].map(handDragKind)).toEqual(["knuckles", "knuckles", "knuckles", "knuckles"]);
    expect([1, 2, 6, 8, 20].map(handDragKind)).toEqual(["turn", "turn", "turn", "turn", "turn"]);
  });

  it("turns and scales the whole hand about the wrist, keeping absent joints absent and clamping to the image", () => {
    const before = flatHand();
    before[7] = { x: 0, y: 0, state: "absent" };
    // The middle tip (12) at (100, 200), 100 px above the wrist: dragged to 150 px right of it (a quarter turn, 1.5×).
    const after = dragHand(before, 12, { x: 250, y: 300 }, image);
    expect(after[0]).toEqual(before[0]);
    expect(after[7]).toEqual(before[7]);
    for (const j of [1, 5, 12, 20]) {
      expect(after[j]!.x).toBeCloseTo(100 + 1.5 * (300 - before[j]!.y), 9);
      expect(after[j]!.y).toBeCloseTo(300 + 1.5 * (before[j]!.x - 100), 9);
    }
    // Past the image's edge: clamped.
    const far = dragHand(before, 12, { x: 100, y: -300 }, image);
    expect(far[12]).toMatchObject({ x: 100, y: 0 });
  });

  it("slides the knuckle row along the fingers, and moves a joint alone when there is no wrist to turn about", () => {
    const before = flatHand();
    // Fan the little finger out: its PIP (18) up and to the right of its base (17) at (140, 260).
    before[18] = { x: 150, y: 250, state: "visible" };
    // The middle base (9) at (100, 260), its PIP 20 px straight up: dragged 5 px up and 2 px right = 0.25 of the
    // bone along the finger and 0.1 across it. Each other base moves 0.25 along and 0.1 across its own finger.
    const row = dragHand(before, 9, { x: 102, y: 255 }, image);
    expect(row.flatMap((p, j) => (p.x !== before[j]!.x || p.y !== before[j]!.y ? [j] : []))).toEqual([5, 9, 13, 17]);
    expect(row[9]).toMatchObject({ x: 102, y: 255 });
    expect(row[5]!.x).toBeCloseTo(82, 9);
    expect(row[5]!.y).toBeCloseTo(255, 9);
    // Along (10, −10) × 0.25 = (2.5, −2.5); across: (10, −10) turned a quarter right = (10, 10) × 0.1 = (1, 1).
    expect(row[17]!.x).toBeCloseTo(143.5, 9);
    expect(row[17]!.y).toBeCloseTo(258.5, 9);
    // A base whose next joint is absent moves by the pointer's offset.
    before[14] = { x: 0, y: 0, state: "absent" };
    expect(dragHand(before, 9, { x: 102, y: 255 }, image)[13]).toMatchObject({ x: 122, y: 255 });
    const noWrist = before.map((p, j) => (j === 0 ? { x: 0, y: 0, state: "absent" as const } : p));
    const alone = dragHand(noWrist, 8, { x: 10, y: 10 }, image);
    expect(alone.flatMap((p, j) => (p.x !== noWrist[j]!.x || p.y !== noWrist[j]!.y ? [j] : []))).toEqual([8]);
  });
});
