import { DEMO_POSES, demoPoseToHand } from "@/lib/demo/poses";
import { describe, expect, it } from "vitest";
import type { THand, TKeypoint } from "@/lib/hand/schema";
import { FINGERS } from "@/lib/hand/skeleton";
import { checkChainDirection } from "./chain-direction";
import { checkCoincidentJoints } from "./coincident-joints";
import { checkDuplicateHand } from "./duplicate-hand";
import { checkFingerOrder } from "./finger-order";
import { ZQualityFlag, type TQualityFlag } from "./flag";
import { checkFolding } from "./folding";
import { checkHandedness, observedThumbSide } from "./handedness";
import { checkModelAgreement, modelResiduals } from "./model-agreement";
import { checkPhalanxRatios } from "./phalanx-ratios";
import { checkOutsideImage, checkPlacementState, checkTooFewJoints } from "./placement";
import { modelHandOf } from "./planted-errors";
import { runQualityChecks } from "./run-checks";
import { jitterHand, seededRandom, templateHand } from "./synthetic-hands";

const IMAGE = { width: 1000, height: 1000 };

/** A copy of `hand` with some keypoints replaced. */
function edit(hand: THand, changes: Record<number, Partial<TKeypoint>>): THand {
  const keypoints = hand.keypoints.map((p, i) => (changes[i] ? { ...p, ...changes[i] } : p)) as TKeypoint[];
  return { ...hand, keypoints };
}
const pos = (hand: THand, i: number) => hand.keypoints[i]!;
const codes = (flags: TQualityFlag[]) => flags.map((f) => `${f.code}:${f.severity}`);

/** Open hands of both sides and both views, turned every 45° and at two sizes: all correct. */
function correctHands(): THand[] {
  const hands: THand[] = [];
  for (const handedness of ["left", "right"] as const)
    for (const view of ["palm", "back"] as const)
      for (let k = 0; k < 8; k++)
        for (const length of [60, 150]) {
          const angle = (k * Math.PI) / 4;
          const wrist: [number, number] = [500, 500];
          const middleMcp: [number, number] = [500 + length * Math.sin(angle), 500 - length * Math.cos(angle)];
          hands.push(templateHand({ handedness, view, wrist, middleMcp }));
        }
  return hands;
}

describe("a correct hand", () => {
  it("raises no flag at all, whatever its side, view, rotation or size", () => {
    for (const hand of correctHands()) expect(runQualityChecks(hand, { image: IMAGE })).toEqual([]);
  });

  it("raises no strong flag with 1.5 px of click noise", () => {
    const random = seededRandom(7);
    for (const hand of correctHands()) {
      const flags = runQualityChecks(jitterHand(hand, random, 1.5), { image: IMAGE });
      expect(flags.filter((f) => f.severity === "strong")).toEqual([]);
    }
  });

  it("produces flags that satisfy ZQualityFlag", () => {
    const broken = edit(templateHand(), { 8: { x: -10, y: 5 }, 10: { ...pos(templateHand(), 9) } });
    const flags = runQualityChecks(broken, { image: IMAGE });
    expect(flags.length).toBeGreaterThan(0);
    for (const f of flags) expect(ZQualityFlag.parse(f)).toEqual(f);
  });
});

describe("checkHandedness", () => {
  const right = templateHand({ handedness: "right", view: "palm" });

  it("accepts the template's convention: right palm, right back, left palm, left back", () => {
    for (const handedness of ["left", "right"] as const)
      for (const view of ["palm", "back"] as const)
        expect(checkHandedness(templateHand({ handedness, view }))).toEqual([]);
    expect(observedThumbSide(right)?.side).toBe(1); // fingers up, thumb on the image's right
  });

  it("flags a right hand labelled left, or a palm labelled back, as strong", () => {
    expect(codes(checkHandedness({ ...right, handedness: "left" }))).toEqual(["handedness-mismatch:strong"]);
    expect(codes(checkHandedness({ ...right, view: "back" }))).toEqual(["handedness-mismatch:strong"]);
  });

  it("stays silent when the side or the view is unknown, or the hand is seen from the side", () => {
    expect(checkHandedness({ ...right, handedness: "left", view: null })).toEqual([]);
    expect(checkHandedness({ ...right, handedness: "left", view: "side" })).toEqual([]);
    expect(checkHandedness({ ...right, handedness: "unknown" })).toEqual([]);
  });

  it("stays silent when the palm is edge-on (MCPs in line with the wrist)", () => {
    const w = pos(right, 0);
    const edgeOn = edit(
      { ...right, view: "back" },
      {
        5: { x: w.x + 1, y: w.y - 100 },
        9: { x: w.x, y: w.y - 100 },
        13: { x: w.x - 1, y: w.y - 98 },
        17: { x: w.x - 2, y: w.y - 95 },
      },
    );
    expect(checkHandedness(edgeOn)).toEqual([]);
  });

  it("falls back to the thumb's base when only one MCP is labelled", () => {
    const few = edit(right, {
      5: { state: "absent", x: 0, y: 0 },
      13: { state: "absent", x: 0, y: 0 },
      17: { state: "absent", x: 0, y: 0 },
    });
    expect(checkHandedness(few)).toEqual([]);
    expect(codes(checkHandedness({ ...few, view: "back" }))).toEqual(["handedness-mismatch:strong"]);
  });
});

describe("checkFingerOrder", () => {
  const hand = templateHand();
  const swapFingers = (h: THand, f: readonly number[], g: readonly number[]) =>
    edit(h, Object.fromEntries([...f.map((j, k) => [j, pos(h, g[k]!)]), ...g.map((j, k) => [j, pos(h, f[k]!)])]));

  it("accepts MCPs in order", () => expect(checkFingerOrder(hand)).toEqual([]));

  it("flags swapped middle and ring fingers as strong", () => {
    const flags = checkFingerOrder(swapFingers(hand, FINGERS.middle, FINGERS.ring));
    expect(codes(flags)).toContain("finger-order:strong");
  });

  it("flags swapped index and pinky even without a wrist", () => {
    const swapped = swapFingers(hand, FINGERS.index, FINGERS.pinky);
    expect(codes(checkFingerOrder(swapped))).toContain("finger-order:strong");
    expect(codes(checkFingerOrder(edit(swapped, { 0: { state: "absent", x: 0, y: 0 } })))).toContain(
      "finger-order:strong",
    );
  });

  it("needs three MCPs", () => {
    const two = edit(swapFingers(hand, FINGERS.middle, FINGERS.ring), {
      5: { state: "absent", x: 0, y: 0 },
      17: { state: "absent", x: 0, y: 0 },
    });
    expect(checkFingerOrder(two)).toEqual([]);
  });
});

describe("checkFolding", () => {
  const hand = templateHand(); // scale 100 px, fingers up
  const [mcp] = [pos(hand, 5)];

  it("accepts straight fingers and a fist-like curl", () => {
    expect(checkFolding(hand)).toEqual([]);
    // Index curled as in a fist seen from the side: forward, down, back towards the palm.
    const curled = edit(hand, {
      6: { x: mcp.x + 40, y: mcp.y },
      7: { x: mcp.x + 40, y: mcp.y + 24 },
      8: { x: mcp.x + 22, y: mcp.y + 26 },
    });
    expect(checkFolding(curled)).toEqual([]);
  });

  it("warns when a bone turns straight back on the previous one", () => {
    const pip = pos(hand, 6);
    const dip = pos(hand, 7);
    const back = edit(hand, { 8: { x: dip.x - 0.8 * (dip.x - pip.x), y: dip.y - 0.8 * (dip.y - pip.y) } });
    expect(codes(checkFolding(back))).toEqual(["finger-folded:warning"]);
  });

  it("flags a tip bone crossing the base bone as strong", () => {
    const crossed = edit(hand, {
      6: { x: mcp.x, y: mcp.y - 40 },
      7: { x: mcp.x + 25, y: mcp.y - 30 },
      8: { x: mcp.x - 15, y: mcp.y - 20 },
    });
    expect(codes(checkFolding(crossed))).toEqual(["finger-folded:strong"]);
  });
});

describe("checkPhalanxRatios", () => {
  const hand = templateHand();

  it("accepts template proportions and a foreshortened proximal phalanx with a short distal", () => {
    expect(checkPhalanxRatios(hand)).toEqual([]);
    // Proximal phalanx pointing at the camera (5 px): middle and distal keep their length, 23 and 20 px,
    // 4–5× the proximal but short for this 100 px hand, so no flag.
    const [mcp, pip, dip, tip] = [5, 6, 7, 8].map((j) => pos(hand, j));
    const shift = { x: mcp!.x - pip!.x, y: mcp!.y - 5 - pip!.y };
    const moved = (p: TKeypoint) => ({ x: p.x + shift.x, y: p.y + shift.y });
    expect(checkPhalanxRatios(edit(hand, { 6: moved(pip!), 7: moved(dip!), 8: moved(tip!) }))).toEqual([]);
  });

  it("warns about a distal segment far longer than the proximal", () => {
    const pip = pos(hand, 6);
    const dip = pos(hand, 7);
    const long = edit(hand, { 8: { x: dip.x + 4 * (dip.x - pip.x), y: dip.y + 4 * (dip.y - pip.y) } });
    expect(codes(checkPhalanxRatios(long))).toEqual(["phalanx-ratio:warning"]);
  });

  it("warns about a middle segment far longer than the proximal", () => {
    const mcp = pos(hand, 9);
    const long = edit(hand, {
      10: { x: mcp.x, y: mcp.y - 10 },
      11: { x: mcp.x, y: mcp.y - 50 },
      12: { x: mcp.x, y: mcp.y - 60 },
    });
    expect(codes(checkPhalanxRatios(long))).toEqual(["phalanx-ratio:warning"]);
  });
});

describe("checkCoincidentJoints", () => {
  const hand = templateHand();

  it("accepts distinct joints", () => expect(checkCoincidentJoints(hand)).toEqual([]));

  it("flags two visible joints on one spot as strong", () => {
    const flags = checkCoincidentJoints(edit(hand, { 15: { x: pos(hand, 14).x + 0.5, y: pos(hand, 14).y } }));
    expect(codes(flags)).toEqual(["joints-coincide:strong"]);
    expect(flags[0]!.joints).toEqual([14, 15]);
  });

  it("only warns for an occluded joint right behind another with its finger intact, or two touching fingertips", () => {
    // Ring's middle phalanx pointing at the camera: the DIP hides behind the PIP, the tip bone keeps its length.
    const [pip, dip, tip] = [pos(hand, 14), pos(hand, 15), pos(hand, 16)];
    const behind = edit(hand, {
      15: { ...pip, state: "occluded" },
      16: { x: tip.x - (dip.x - pip.x), y: tip.y - (dip.y - pip.y) },
    });
    expect(codes(checkCoincidentJoints(behind))).toEqual(["joints-coincide:warning"]);
    // A pinch: the demo OK sign with the thumb tip put exactly on the index tip.
    const ok = demoPoseToHand(DEMO_POSES.find((p) => p.name === "ok-sign-left")!);
    expect(codes(checkCoincidentJoints(edit(ok, { 4: { ...pos(ok, 8) } })))).toEqual(["joints-coincide:warning"]);
  });

  it("flags a fingertip dropped onto another tip (its bone stretched), and any two joints on the very same spot", () => {
    expect(codes(checkCoincidentJoints(edit(hand, { 4: { ...pos(hand, 8) } })))).toEqual(["joints-coincide:strong"]);
    // Occluded joints of two fingers exactly on one spot: the index PIP dropped onto the middle PIP.
    const dropped = edit(hand, {
      6: { ...pos(hand, 10), state: "occluded" },
      10: { ...pos(hand, 10), state: "occluded" },
    });
    const flags = checkCoincidentJoints(dropped);
    expect(codes(flags)).toEqual(["joints-coincide:strong"]);
    expect(flags[0]!.message).toMatch(/index PIP and the middle PIP are on one spot/);
  });

  it("flags an occluded joint dropped onto another finger, or anything on the wrist, as strong", () => {
    expect(codes(checkCoincidentJoints(edit(hand, { 15: { ...pos(hand, 10), state: "occluded" } })))).toEqual([
      "joints-coincide:strong",
    ]);
    expect(codes(checkCoincidentJoints(edit(hand, { 12: { ...pos(hand, 0), state: "occluded" } })))).toEqual([
      "joints-coincide:strong",
    ]);
  });

  it("ignores absent joints at 0,0", () => {
    const twoAbsent = edit(hand, { 19: { state: "absent", x: 0, y: 0 }, 20: { state: "absent", x: 0, y: 0 } });
    expect(checkCoincidentJoints(twoAbsent)).toEqual([]);
  });
});

describe("placement checks", () => {
  const hand = templateHand();

  it("flags joints outside the image as strong", () => {
    expect(checkOutsideImage(hand, IMAGE)).toEqual([]);
    const flags = checkOutsideImage(edit(hand, { 12: { x: 200, y: -3 } }), IMAGE);
    expect(codes(flags)).toEqual(["outside-image:strong"]);
    expect(flags[0]!.joints).toEqual([12]);
  });

  it("warns about a hand with fewer than six joints", () => {
    const absent = (js: number[]) => Object.fromEntries(js.map((j) => [j, { state: "absent" as const, x: 0, y: 0 }]));
    expect(checkTooFewJoints(edit(hand, absent([...Array(15).keys()])))).toEqual([]); // 6 left
    expect(codes(checkTooFewJoints(edit(hand, absent([...Array(16).keys()]))))).toEqual(["too-few-joints:warning"]);
  });

  it("flags a placed joint without a position, and warns about an absent one with a position", () => {
    expect(checkPlacementState(hand)).toEqual([]);
    expect(codes(checkPlacementState(edit(hand, { 3: { x: Number.NaN } })))).toEqual([
      "placed-without-position:strong",
    ]);
    expect(codes(checkPlacementState(edit(hand, { 3: { state: "absent" } })))).toEqual([
      "absent-with-position:warning",
    ]);
  });
});

describe("checkDuplicateHand", () => {
  const hand = templateHand();
  const copy = jitterHand(hand, seededRandom(3), 1);

  it("ignores the hand itself and hands elsewhere", () => {
    const elsewhere = templateHand({ wrist: [450, 300], middleMcp: [450, 200] });
    expect(checkDuplicateHand(hand, [hand, elsewhere])).toEqual([]);
  });

  it("flags a near copy of the same side as strong, of another side as a warning", () => {
    expect(codes(checkDuplicateHand(hand, [copy]))).toEqual(["duplicate-hand:strong"]);
    expect(codes(checkDuplicateHand(hand, [{ ...copy, handedness: "left" }]))).toEqual(["duplicate-hand:warning"]);
    expect(codes(runQualityChecks(hand, { image: IMAGE, otherHands: [hand, copy] }))).toEqual([
      "duplicate-hand:strong",
    ]);
  });
});

describe("checkChainDirection", () => {
  it("names the knuckle that moved off the row, not the neighbour measured against it", () => {
    const hand = templateHand({ handedness: "right", view: "palm", wrist: [320, 430], middleMcp: [320, 290] });
    const moved = edit(hand, { 9: { x: pos(hand, 9).x, y: pos(hand, 9).y + 70 } }); // half a hand towards the wrist
    const flags = checkChainDirection(moved).filter((f) => f.code === "bone-too-long");
    expect(flags.map((f) => f.joints)).toEqual([[9]]);
    expect(flags[0]!.message).toMatch(/The middle MCP is off the knuckle row/);
  });
});

describe("checkModelAgreement", () => {
  const hand = templateHand({ wrist: [500, 700], middleMcp: [500, 500] });
  const model = (h: THand) => [modelHandOf(h)];
  const tip = FINGERS.index[3];
  const dip = FINGERS.index[2];
  // The index tip slid 1.0 of its bone on along the finger: a longer distal phalanx, which foreshortening also makes.
  const along = edit(hand, {
    [tip]: { x: 2 * pos(hand, tip).x - pos(hand, dip).x, y: 2 * pos(hand, tip).y - pos(hand, dip).y },
  });

  it("is silent where the labels agree with the model, and without a model", () => {
    expect(checkModelAgreement(hand, model(hand))).toEqual([]);
    expect(checkModelAgreement(jitterHand(hand, seededRandom(3), 3), model(hand))).toEqual([]);
    expect(checkModelAgreement(along, [])).toEqual([]);
  });

  it("names the joint far from the model's landmark, as a warning (a fix of the model's mistake looks the same)", () => {
    const flags = checkModelAgreement(along, model(hand));
    expect(codes(flags)).toEqual(["joint-off-model:warning"]);
    expect(flags[0]!.joints).toEqual([tip]);
    expect(flags[0]!.message).toMatch(/^The index tip lies well away from where the pose model put it/);
  });

  it("measures a slipped joint by its offset less its neighbours' (a finger read shifted as a whole is not one)", () => {
    const slip = { x: 12, y: -5 }; // 13 px
    const moved = edit(hand, { [dip]: { x: pos(hand, dip).x + slip.x, y: pos(hand, dip).y + slip.y } });
    const residual = modelResiduals(moved, modelHandOf(hand));
    expect(residual[dip]).toBeCloseTo(13);
    // The DIP's two neighbours each see it as one of their neighbours: half (PIP) and all (tip) of the slip.
    expect(residual[tip]).toBeCloseTo(13);
    expect(residual[FINGERS.index[1]]).toBeCloseTo(13 / 2);
    const shifted = edit(
      hand,
      Object.fromEntries(hand.keypoints.map((p, j) => [j, { x: p.x + 9, y: p.y }])) as Record<number, TKeypoint>,
    );
    expect(Math.max(...modelResiduals(shifted, modelHandOf(hand)).map((d) => d ?? 0))).toBeCloseTo(0);
  });

  it("ignores a model hand that is another hand", () => {
    const elsewhere = edit(
      hand,
      Object.fromEntries(hand.keypoints.map((p, j) => [j, { x: p.x + 400, y: p.y }])) as Record<number, TKeypoint>,
    );
    expect(checkModelAgreement(along, model(elsewhere))).toEqual([]);
  });
});
