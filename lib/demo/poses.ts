/**
 * Twelve synthetic hand poses for a 640×480 canvas: seed data, screenshots and tests.
 * Generated from the parametric model in hand-model.ts; gesture labels follow HaGRID's class names.
 */
import { bboxFromKeypoints } from "../hand/bbox";
import type { THand, THandView, TKeypoint, TKeypointState } from "../hand/schema";
import { JOINT_COUNT } from "../hand/skeleton";
import { CURLED, HALF_CURLED, STRAIGHT, THUMB_ACROSS, THUMB_OPEN, projectHand, type HandParams } from "./hand-model";

export const DEMO_CANVAS = { width: 640, height: 480 } as const;

export interface DemoPose {
  /** Stable kebab-case id, e.g. "open-palm-right". */
  name: string;
  handedness: "left" | "right";
  /** HaGRID-style gesture class. */
  gesture: string;
  view: THandView;
  /** Monk Skin Tone (1–10) used when drawing the stand-in photo. */
  skinTone: number;
  /** Background colour of the stand-in photo. */
  background: string;
  keypoints: TKeypoint[];
  /** Per-joint depth in pixels, larger = nearer the camera; lets the renderer layer fingers. */
  depth: number[];
}

interface PoseSpec {
  name: string;
  gesture: string;
  view: THandView;
  skinTone: number;
  background: string;
  params: HandParams;
  /** Joints hidden by the hand itself: placed, but marked occluded. */
  occluded?: number[];
}

const SPECS: PoseSpec[] = [
  {
    name: "open-palm-right",
    gesture: "palm",
    view: "palm",
    skinTone: 2,
    background: "#5b7083",
    params: {
      handedness: "right",
      view: "palm",
      wrist: { x: 310, y: 430 },
      scale: 100,
      rotation: -5,
      thumb: THUMB_OPEN,
      index: { ...STRAIGHT, spread: 8 },
      middle: { ...STRAIGHT, spread: 2 },
      ring: { ...STRAIGHT, spread: -4 },
      pinky: { ...STRAIGHT, spread: -10 },
    },
  },
  {
    name: "stop-left",
    gesture: "stop",
    view: "palm",
    skinTone: 6,
    background: "#c9c2b4",
    params: {
      handedness: "left",
      view: "palm",
      wrist: { x: 330, y: 440 },
      scale: 105,
      rotation: 8,
      thumb: { abduction: 25, opposition: 5, mcp: 5, ip: 0 },
      index: { ...STRAIGHT, spread: -4 },
      middle: STRAIGHT,
      ring: { ...STRAIGHT, spread: 4 },
      pinky: { ...STRAIGHT, spread: 8 },
    },
  },
  {
    name: "fist-back-right",
    gesture: "fist",
    view: "back",
    skinTone: 8,
    background: "#e3e0d8",
    params: {
      handedness: "right",
      view: "back",
      wrist: { x: 300, y: 420 },
      scale: 115,
      rotation: 0,
      thumb: THUMB_ACROSS,
      index: CURLED,
      middle: CURLED,
      ring: CURLED,
      pinky: CURLED,
    },
    // Seen from the back, the curled fingertips and the thumb tip are tucked under the knuckles.
    occluded: [4, 7, 8, 11, 12, 15, 16, 19, 20],
  },
  {
    name: "pointing-right",
    gesture: "one",
    view: "palm",
    skinTone: 4,
    background: "#3f5a4a",
    params: {
      handedness: "right",
      view: "palm",
      wrist: { x: 280, y: 440 },
      scale: 100,
      rotation: 18,
      thumb: THUMB_ACROSS,
      index: STRAIGHT,
      middle: CURLED,
      ring: CURLED,
      pinky: CURLED,
    },
  },
  {
    name: "ok-sign-left",
    gesture: "ok",
    view: "palm",
    skinTone: 5,
    background: "#7a6a8c",
    params: {
      handedness: "left",
      view: "palm",
      yaw: 35,
      wrist: { x: 320, y: 440 },
      scale: 110,
      rotation: -8,
      // Thumb and index pads touch (tip centres ~a finger width apart in the 3-D model), closing the "O".
      thumb: { abduction: 25, opposition: 30, mcp: 15, ip: 10 },
      index: { mcp: 50, pip: 65, dip: 30 },
      middle: { ...STRAIGHT, spread: 2 },
      ring: { mcp: 10, pip: 10, dip: 5, spread: -3 },
      pinky: { mcp: 15, pip: 15, dip: 10, spread: -10 },
    },
  },
  {
    name: "peace-back-right",
    gesture: "peace",
    view: "back",
    skinTone: 3,
    background: "#2f3b52",
    params: {
      handedness: "right",
      view: "back",
      wrist: { x: 340, y: 440 },
      scale: 100,
      rotation: -12,
      thumb: THUMB_ACROSS,
      index: { ...STRAIGHT, spread: 10 },
      middle: { ...STRAIGHT, spread: -6 },
      ring: CURLED,
      pinky: CURLED,
    },
    occluded: [3, 4, 15, 16, 19, 20],
  },
  {
    name: "thumbs-up-side-right",
    gesture: "like",
    view: "side",
    skinTone: 7,
    background: "#d8c7a8",
    params: {
      // Palm axis horizontal (thumb side up), thumb radially abducted and hyperextended.
      handedness: "right",
      view: "palm",
      yaw: -40,
      wrist: { x: 440, y: 300 },
      scale: 110,
      rotation: -90,
      thumb: { abduction: 60, opposition: 5, mcp: -10, ip: -15 },
      index: CURLED,
      middle: CURLED,
      ring: CURLED,
      pinky: CURLED,
    },
    // The distal phalanges point back into the palm, hidden behind the curled middle phalanges.
    occluded: [8, 12, 16, 20],
  },
  {
    name: "call-tilted-left",
    gesture: "call",
    view: "palm",
    skinTone: 9,
    background: "#9fb6c4",
    params: {
      handedness: "left",
      view: "palm",
      wrist: { x: 380, y: 380 },
      scale: 100,
      rotation: -55,
      thumb: { abduction: 60, opposition: 10, mcp: 0, ip: 0 },
      index: CURLED,
      middle: CURLED,
      ring: CURLED,
      pinky: { ...STRAIGHT, spread: -15 },
    },
  },
  {
    name: "rock-back-right",
    gesture: "rock",
    view: "back",
    skinTone: 1,
    background: "#4a4038",
    params: {
      handedness: "right",
      view: "back",
      wrist: { x: 320, y: 440 },
      scale: 100,
      rotation: 5,
      thumb: THUMB_ACROSS,
      index: { ...STRAIGHT, spread: 4 },
      middle: CURLED,
      ring: CURLED,
      pinky: { ...STRAIGHT, spread: -8 },
    },
    occluded: [11, 12, 15, 16],
  },
  {
    name: "three-left",
    gesture: "three",
    view: "palm",
    skinTone: 10,
    background: "#b9c9a8",
    params: {
      handedness: "left",
      view: "palm",
      wrist: { x: 300, y: 450 },
      scale: 100,
      rotation: 20,
      thumb: { abduction: 30, opposition: 45, mcp: 45, ip: 40 },
      index: { ...STRAIGHT, spread: 6 },
      middle: STRAIGHT,
      ring: { ...STRAIGHT, spread: -6 },
      pinky: CURLED,
    },
  },
  {
    name: "four-sideways-right",
    gesture: "four",
    view: "palm",
    skinTone: 6,
    background: "#6d5f57",
    params: {
      handedness: "right",
      view: "palm",
      wrist: { x: 140, y: 250 },
      scale: 95,
      rotation: 85,
      thumb: { abduction: 10, opposition: 45, mcp: 55, ip: 30 },
      index: { ...STRAIGHT, spread: 6 },
      middle: { ...STRAIGHT, spread: 2 },
      ring: { ...STRAIGHT, spread: -3 },
      pinky: { ...HALF_CURLED, mcp: 10, pip: 10, dip: 5, spread: -8 },
    },
  },
  {
    name: "mute-side-left",
    gesture: "mute",
    view: "side",
    skinTone: 4,
    background: "#a3a7ad",
    params: {
      handedness: "left",
      view: "palm",
      yaw: -50,
      wrist: { x: 330, y: 440 },
      scale: 105,
      rotation: -4,
      thumb: { abduction: 20, opposition: 50, mcp: 40, ip: 30 },
      index: STRAIGHT,
      middle: CURLED,
      ring: CURLED,
      pinky: CURLED,
    },
    // The thumb lies across the curled fingers and hides their tips.
    occluded: [12, 16, 20],
  },
];

function buildPose(spec: PoseSpec): DemoPose {
  const joints = projectHand(spec.params);
  if (joints.length !== JOINT_COUNT) throw new Error(`pose ${spec.name}: expected ${JOINT_COUNT} joints`);
  const hidden = new Set(spec.occluded ?? []);
  const round = (v: number): number => Math.round(v * 10) / 10; // a tenth of a pixel is plenty
  return {
    name: spec.name,
    handedness: spec.params.handedness,
    gesture: spec.gesture,
    view: spec.view,
    skinTone: spec.skinTone,
    background: spec.background,
    keypoints: joints.map((j, i) => ({
      x: round(j.x),
      y: round(j.y),
      state: (hidden.has(i) ? "occluded" : "visible") satisfies TKeypointState,
    })),
    depth: joints.map((j) => round(j.z)),
  };
}

export const DEMO_POSES: readonly DemoPose[] = SPECS.map(buildPose);

export function demoPose(name: string): DemoPose | undefined {
  return DEMO_POSES.find((p) => p.name === name);
}

/** A demo pose as a labelled hand (the shape ZHand validates), with its bbox derived from the joints. */
export function demoPoseToHand(pose: DemoPose): THand {
  return {
    handedness: pose.handedness,
    keypoints: pose.keypoints.map((k) => ({ ...k })),
    bbox: bboxFromKeypoints(pose.keypoints, 0.1, DEMO_CANVAS),
    bboxEdited: false,
    gesture: pose.gesture,
    view: pose.view,
    interaction: "none",
    truncated: false,
    skinTone: pose.skinTone,
    attributes: { synthetic: true },
  };
}
