import type { TKeypoint } from "@/lib/hand/schema";

/** The drag tests' image: 400 × 400. */
export const image = { width: 400, height: 400 };

/** A flat hand: wrist at (100, 300), each finger straight up from its knuckle, joints 20 px apart. */
export function flatHand(): TKeypoint[] {
  const points: TKeypoint[] = [{ x: 100, y: 300, state: "visible" }];
  for (let f = 0; f < 5; f++)
    for (let k = 0; k < 4; k++) points.push({ x: 60 + 20 * f, y: 260 - 20 * k, state: "visible" });
  return points;
}
