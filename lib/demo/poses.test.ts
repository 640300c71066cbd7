import { describe, expect, it } from "vitest";
import { ZHand, keypointsOutsideImage } from "../hand/schema";
import { FINGERS } from "../hand/skeleton";
import { DEMO_CANVAS, DEMO_POSES, demoPose, demoPoseToHand } from "./poses";

const HAGRID = ["palm", "fist", "one", "ok", "peace", "like", "call", "rock", "stop", "three", "four", "mute"];

describe("demo poses", () => {
  it("has twelve uniquely named poses with HaGRID gestures and both hands", () => {
    expect(DEMO_POSES).toHaveLength(12);
    expect(new Set(DEMO_POSES.map((p) => p.name)).size).toBe(12);
    for (const p of DEMO_POSES) expect(HAGRID).toContain(p.gesture);
    expect(new Set(DEMO_POSES.map((p) => p.gesture)).size).toBeGreaterThanOrEqual(10);
    expect(DEMO_POSES.some((p) => p.handedness === "left")).toBe(true);
    expect(DEMO_POSES.some((p) => p.handedness === "right")).toBe(true);
    expect(DEMO_POSES.some((p) => p.keypoints.some((k) => k.state === "occluded"))).toBe(true);
    expect(demoPose("open-palm-right")?.gesture).toBe("palm");
  });

  it.each(DEMO_POSES.map((p) => [p.name, p] as const))("%s: joints inside the canvas and a valid ZHand", (_, pose) => {
    expect(pose.keypoints).toHaveLength(21);
    expect(pose.depth).toHaveLength(21);
    expect(keypointsOutsideImage(pose.keypoints, DEMO_CANVAS.width, DEMO_CANVAS.height)).toEqual([]);
    const parsed = ZHand.safeParse(demoPoseToHand(pose));
    expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
    const box = parsed.data!.bbox!;
    expect(box.width).toBeGreaterThan(40);
    expect(box.height).toBeGreaterThan(40);
  });

  it.each(DEMO_POSES.map((p) => [p.name, p] as const))("%s: plausible anatomy", (_, pose) => {
    const k = pose.keypoints;
    const d = (a: number, b: number): number => Math.hypot(k[a]!.x - k[b]!.x, k[a]!.y - k[b]!.y);
    // No two joints collapse onto one spot (a QC red flag for real labels).
    for (let i = 0; i < 21; i++) for (let j = i + 1; j < 21; j++) expect(d(i, j)).toBeGreaterThan(2);
    // A projected bone is never longer than the real palm-scaled bone: proximal phalanx < palm length.
    const palm = d(0, 9);
    for (const f of ["index", "middle", "ring", "pinky"] as const) {
      const [mcp, pip] = FINGERS[f];
      expect(d(mcp, pip)).toBeLessThan(palm * 0.6);
    }
  });

  it("puts the thumb on the correct side for the hand and view", () => {
    // Sign of (wrist→index MCP) × (wrist→pinky MCP) flips with handedness and with palm/back.
    for (const p of DEMO_POSES.filter((q) => q.view !== "side")) {
      const [w, i, l] = [p.keypoints[0]!, p.keypoints[5]!, p.keypoints[17]!];
      const cross = (i.x - w.x) * (l.y - w.y) - (i.y - w.y) * (l.x - w.x);
      const expectedNegative = (p.handedness === "right") === (p.view === "palm");
      expect(cross < 0, p.name).toBe(expectedNegative);
    }
  });
});
