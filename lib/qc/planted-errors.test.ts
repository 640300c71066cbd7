/**
 * One planted example per mistake kind (lib/qc/planted-errors.ts) on a correct synthetic hand: the checks
 * raise a strong flag that names the mistake, so a reviewer fixes it in one step — or, where the photo's
 * pixels or the view would be needed, say what they do instead. The generators themselves are checked too.
 */
import { describe, expect, it } from "vitest";
import { FINGERS } from "@/lib/hand/skeleton";
import {
  correctCases,
  cutOffAtBorder,
  displaceJoint,
  modelHandOf,
  moveBox,
  moveJointOnto,
  plantedCases,
  reverseChain,
  shiftHand,
  swapFingers,
  swapHandedness,
  twoHandImage,
  PLANT_KINDS,
} from "./planted-errors";
import { runQualityChecks, type TQualityContext } from "./run-checks";
import { paintHandPhoto, templateHand } from "./synthetic-hands";
import type { THand } from "@/lib/hand/schema";
import { skinMapFromPixels, type TSkinMap } from "./skin";

const IMAGE = { width: 640, height: 480 };
const hand = templateHand({ handedness: "right", view: "palm", wrist: [320, 430], middleMcp: [320, 290] });
const strong = (h: THand, context: TQualityContext = { image: IMAGE }) =>
  runQualityChecks(h, context).filter((f) => f.severity === "strong");
/** A photo of `h` alone (skin-coloured fingers on a blue wall), as a skin map. */
const photoOf = (h: THand): TSkinMap =>
  skinMapFromPixels(paintHandPhoto(h, IMAGE), { ...IMAGE, channels: 3 }, IMAGE.width);
const skin = photoOf(hand);

const messages = (h: THand, context?: TQualityContext) =>
  strong(h, context)
    .map((f) => f.message)
    .join(" | ");

describe("planted mistakes, one of each kind", () => {
  it("the correct hand raises nothing in any context it is checked in", () => {
    for (const { ctx, hand: h } of correctCases({ name: "template", hand, image: IMAGE }))
      expect(runQualityChecks(h, ctx)).toEqual([]);
  });

  it("left/right swapped with the view set", () => {
    expect(messages(swapHandedness(hand))).toMatch(/Left\/right looks swapped: seen from the palm, a left hand/);
  });

  it("left/right swapped without a view: the model's handedness decides, and the flag says geometry could not", () => {
    const noView = { ...hand, view: null };
    expect(strong(swapHandedness(noView))).toEqual([]); // a right palm and a left back look the same
    const text = messages(swapHandedness(noView), { image: IMAGE, model: [modelHandOf(noView)] });
    expect(text).toMatch(/labelled left, but the pose model saw a right hand \(95% sure\)/);
    expect(text).toMatch(/joints alone cannot tell/);
    expect(
      runQualityChecks(swapHandedness(noView), { image: IMAGE, model: [modelHandOf(noView, 0.7)] }).map(
        (f) => f.severity,
      ),
    ).toEqual(["warning"]);
  });

  it("left/right swapped without a view: the network run at submit on the hand's box decides", () => {
    const noView = { ...hand, view: null };
    const network = { ...modelHandOf(noView, 0.99), via: "network" as const };
    const [planted] = plantedCases({ name: "t", hand, image: IMAGE, network }).filter(
      (c) => c.kind === "lr-swap (no view, network at submit)",
    );
    expect(messages(planted!.hand, planted!.context)).toMatch(
      /Left\/right looks swapped: labelled left, but the hand-landmark network, run on this hand's box at submit, saw a right hand \(99% sure\)/,
    );
  });

  it("left/right swapped without a view: the other hand in the image labelled the same side", () => {
    const pair = twoHandImage({ name: "t", hand: { ...hand, view: null }, image: IMAGE })!;
    expect(pair.other.handedness).toBe("left");
    expect(messages(swapHandedness(pair.hand), { image: pair.image, otherHands: [pair.other] })).toMatch(
      /both labelled left, yet they are mirror images/,
    );
  });

  it("two fingers swapped: names the pair, for every pair", () => {
    expect(messages(swapFingers(hand, "index", "ring"))).toMatch(/Index and ring look swapped/);
    expect(messages(swapFingers(hand, "middle", "ring"))).toMatch(/Middle and ring look swapped/);
    expect(messages(swapFingers(hand, "thumb", "middle"))).toMatch(/Thumb and middle look swapped/);
    for (const c of plantedCases({ name: "t", hand, image: IMAGE }).filter((p) => p.kind === "fingers swapped")) {
      expect(messages(c.hand, c.context), c.detail).toMatch(c.names!);
    }
  });

  it("a finger's chain reversed", () => {
    const reversed = reverseChain(hand, "ring");
    expect(reversed.keypoints[FINGERS.ring[0]]).toEqual(hand.keypoints[FINGERS.ring[3]]);
    expect(messages(reversed)).toMatch(/The ring looks labelled backwards \(tip ↔ MCP\)/);
    expect(messages(reverseChain(hand, "thumb"))).toMatch(/The thumb looks labelled backwards/);
  });

  it("a joint dropped onto another joint, and onto the wrist", () => {
    const onto = strong(moveJointOnto(hand, 8, 13)); // index tip onto the ring MCP
    expect(onto.map((f) => f.code)).toContain("joints-coincide");
    expect(onto.flatMap((f) => f.joints)).toContain(8);
    expect(messages(moveJointOnto(hand, 12, 0))).toMatch(
      /The middle tip and the wrist are on one spot|wrist and the middle tip are on one spot/,
    );
  });

  it("a joint displaced by 1.0 of its bone sideways (a zig-zag), but not by 0.3", () => {
    const pip = FINGERS.middle[1];
    expect(messages(displaceJoint(hand, pip, 1.0, 0)!)).toMatch(/middle zig-zags|middle PIP/);
    expect(strong(displaceJoint(hand, pip, 0.3, 0)!)).toEqual([]);
  });

  it("a joint displaced by 0.6 of its bone where no single cue is strong: the cues agree on the joint", () => {
    const pip = FINGERS.middle[1];
    const moved = strong(displaceJoint(hand, pip, 0.6, Math.PI / 4)!);
    expect(moved.map((f) => f.code)).toEqual(["joint-off-finger"]);
    expect(moved[0]!.joints).toContain(pip);
    expect(moved[0]!.message).toMatch(/The middle PIP looks moved off its joint: the finger turns .*; a bone to it is/);
    expect(strong(displaceJoint(hand, pip, 0.3, Math.PI / 4)!)).toEqual([]);
  });

  it("a joint displaced where the model's prediction is stored: the model is one cue, geometry must add another", () => {
    const model = { image: IMAGE, model: [modelHandOf(hand)] };
    const dip = FINGERS.middle[2];
    const moved = displaceJoint(hand, dip, 0.6, Math.PI / 2)!;
    expect(strong(moved)).toEqual([]);
    expect(messages(moved, model)).toMatch(
      /The middle DIP looks moved off its joint: .*the pose model put it elsewhere/,
    );
    // A tip slid 0.6 of its bone on along the finger: no geometric cue, so the model's disagreement alone is a warning that names it.
    const tip = displaceJoint(hand, FINGERS.index[3], 0.6, -Math.PI / 2)!;
    expect(strong(tip, model)).toEqual([]);
    expect(runQualityChecks(tip, model).map((f) => [f.code, f.severity, f.joints])).toEqual([
      ["joint-off-model", "warning", [FINGERS.index[3]]],
    ]);
  });

  it("a joint marked visible on the border where the photo cuts it off", () => {
    const cut = cutOffAtBorder(hand, IMAGE, FINGERS.middle[3], 20)!;
    expect(cut.image.height).toBeLessThan(IMAGE.height);
    const flags = runQualityChecks(cut.hand, { image: cut.image });
    expect(flags.map((f) => f.code)).toContain("on-image-border");
    expect(flags.find((f) => f.code === "on-image-border")!.message).toMatch(
      /middle tip sits on the image's top edge marked visible/,
    );
  });

  it("a whole hand shifted off the skin: geometry cannot see it, the photo's pixels can, and say where the hand is", () => {
    const small = templateHand({ handedness: "right", view: "palm", wrist: [180, 420], middleMcp: [180, 340] });
    const photo = photoOf(small);
    const shifted = shiftHand(small, 220, 0);
    expect(runQualityChecks(shifted, { image: IMAGE })).toEqual([]); // right shape
    expect(runQualityChecks(small, { image: IMAGE, skin: photo })).toEqual([]); // the correct hand lies on skin
    const flags = strong(shifted, { image: IMAGE, skin: photo });
    expect(flags.map((f) => f.code)).toEqual(["off-skin"]);
    expect(flags[0]!.message).toMatch(/shifted off the hand: 21 of 21 joints .* fits skin about 2\d\d px left/);
  });

  it("the hand's box far from its joints", () => {
    expect(messages(moveBox(hand, 400, 0))).toMatch(/The hand.s box is off its joints \(21 of 21 lie outside it\)/);
    expect(runQualityChecks(moveBox(hand, 5, 0), { image: IMAGE })).toEqual([]); // a nudge within the margin
  });

  it("generates every kind from a labelled hand", () => {
    const network = { ...modelHandOf(hand), via: "network" as const };
    const kinds = new Set(plantedCases({ name: "t", hand, image: IMAGE, skin, network }).map((c) => c.kind));
    expect([...kinds].sort()).toEqual([...PLANT_KINDS].sort());
    // Without the photo there is no network run: not generated.
    expect(plantedCases({ name: "t", hand, image: IMAGE, skin }).some((c) => c.kind.includes("network"))).toBe(false);
    // Without the photo's pixels there is nothing to check a shifted hand against: not generated.
    expect(plantedCases({ name: "t", hand, image: IMAGE }).some((c) => c.kind === "hand shifted off the skin")).toBe(
      false,
    );
  });
});
