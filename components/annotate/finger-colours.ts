import { fingerOfJoint, type FingerName } from "@/lib/hand/skeleton";

/** Okabe–Ito colours: distinguishable with the common colour-vision deficiencies. */
export const FINGER_COLOURS: Record<FingerName | "wrist", string> = {
  wrist: "#ffffff",
  thumb: "#E69F00",
  index: "#56B4E9",
  middle: "#009E73",
  ring: "#F0E442",
  pinky: "#CC79A7",
};

export const jointColour = (joint: number) => FINGER_COLOURS[fingerOfJoint(joint) ?? "wrist"];
/** A bone takes the colour of the finger it belongs to (its distal end). */
export const boneColour = (to: number) => FINGER_COLOURS[fingerOfJoint(to) ?? "wrist"];
