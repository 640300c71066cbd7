/**
 * A small parametric 3-D hand, projected orthographically into image pixels.
 * Demo poses are generated from a handful of angles rather than 252 hand-typed numbers, so they
 * keep plausible proportions (phalanx ratios ≈ 1 : 0.6 : 0.45, DESIGN.md §4) whatever the gesture.
 *
 * Local frame (units of palm length, wrist at the origin), for a RIGHT hand with its PALM facing
 * the camera: +x across the palm towards the thumb, +y along the fingers, +z towards the camera.
 * A left hand is the mirror image (x → −x); a back view is the hand turned 180° about y.
 */
import { JOINT_COUNT } from "../hand/skeleton";

export interface Vec3 {
  x: number;
  y: number;
  z: number;
}

/** Flexion angles in degrees (0 = straight). `spread` adds abduction, positive towards the thumb. */
export interface FingerFlex {
  mcp: number;
  pip: number;
  dip: number;
  spread?: number;
}

/**
 * Thumb angles in degrees. `abduction`: metacarpal angle away from the finger axis, in the palm plane.
 * `opposition`: tilt of the metacarpal out of the palm towards the camera side.
 * `mcp` / `ip`: flexion, which swings the thumb across the palm.
 */
export interface ThumbFlex {
  abduction: number;
  opposition: number;
  mcp: number;
  ip: number;
}

export interface HandParams {
  handedness: "left" | "right";
  view: "palm" | "back";
  /** Wrist position in image pixels. */
  wrist: { x: number; y: number };
  /** Palm length (wrist → middle MCP) in pixels. */
  scale: number;
  /** In-image rotation in degrees, clockwise; 0 = fingers pointing up. */
  rotation: number;
  /** Turn about the finger axis in degrees (toward a side view); 0 = flat to the camera. */
  yaw?: number;
  thumb: ThumbFlex;
  index: FingerFlex;
  middle: FingerFlex;
  ring: FingerFlex;
  pinky: FingerFlex;
}

export interface ProjectedJoint {
  x: number;
  y: number;
  /** Depth in pixels, larger = nearer the camera (used to paint near fingers over far ones). */
  z: number;
}

interface FingerSpec {
  mcp: [number, number];
  lengths: [number, number, number];
  baseSplay: number;
}

// MCP positions and phalanx lengths (proximal, middle, distal) in palm lengths.
const FINGER_SPECS: Record<"index" | "middle" | "ring" | "pinky", FingerSpec> = {
  index: { mcp: [0.36, 0.93], lengths: [0.46, 0.27, 0.21], baseSplay: 6 },
  middle: { mcp: [0.1, 1.0], lengths: [0.52, 0.32, 0.23], baseSplay: 0 },
  ring: { mcp: [-0.14, 0.95], lengths: [0.48, 0.29, 0.22], baseSplay: -5 },
  pinky: { mcp: [-0.35, 0.83], lengths: [0.37, 0.21, 0.17], baseSplay: -12 },
};

const THUMB_CMC: Vec3 = { x: 0.22, y: 0.18, z: 0.06 };
const THUMB_LENGTHS: [number, number, number] = [0.42, 0.32, 0.26];

const RAD = Math.PI / 180;

/** Unit direction from an in-plane angle (from +y towards +x) and an elevation towards +z. */
function direction(inPlaneDeg: number, elevationDeg: number): Vec3 {
  const a = inPlaneDeg * RAD;
  const e = elevationDeg * RAD;
  return { x: Math.sin(a) * Math.cos(e), y: Math.cos(a) * Math.cos(e), z: Math.sin(e) };
}

function step(p: Vec3, d: Vec3, len: number): Vec3 {
  return { x: p.x + d.x * len, y: p.y + d.y * len, z: p.z + d.z * len };
}

/** The 21 joints in the canonical local frame (right hand, palm to camera). */
export function localJoints(params: HandParams): Vec3[] {
  const joints: Vec3[] = new Array<Vec3>(JOINT_COUNT);
  joints[0] = { x: 0, y: 0, z: 0 };

  // Thumb: each flexion swings the next segment across the palm and a little towards the camera.
  const t = params.thumb;
  const thumbDirs = [
    direction(t.abduction, t.opposition),
    direction(t.abduction - t.mcp, t.opposition + t.mcp * 0.3),
    direction(t.abduction - t.mcp - t.ip, t.opposition + (t.mcp + t.ip) * 0.3),
  ];
  let p = THUMB_CMC;
  joints[1] = p;
  thumbDirs.forEach((d, k) => {
    p = step(p, d, THUMB_LENGTHS[k]!);
    joints[2 + k] = p;
  });

  // Fingers: flexion bends towards the palm side (+z); the angles accumulate along the chain.
  (["index", "middle", "ring", "pinky"] as const).forEach((name, f) => {
    const spec = FINGER_SPECS[name];
    const flex = params[name];
    const splay = spec.baseSplay + (flex.spread ?? 0);
    const base = 5 + f * 4;
    let q: Vec3 = { x: spec.mcp[0], y: spec.mcp[1], z: 0 };
    joints[base] = q;
    const cumulative = [flex.mcp, flex.mcp + flex.pip, flex.mcp + flex.pip + flex.dip];
    cumulative.forEach((theta, k) => {
      const th = theta * RAD;
      const s = splay * RAD;
      const d = { x: Math.sin(s) * Math.cos(th), y: Math.cos(s) * Math.cos(th), z: Math.sin(th) };
      q = step(q, d, spec.lengths[k]!);
      joints[base + 1 + k] = q;
    });
  });
  return joints;
}

/** Project the hand into image pixels: handedness, view, yaw, then scale, rotation and translation. */
export function projectHand(params: HandParams): ProjectedJoint[] {
  const yaw = ((params.yaw ?? 0) + (params.view === "back" ? 180 : 0)) * RAD;
  const mirror = params.handedness === "left" ? -1 : 1;
  const r = params.rotation * RAD;
  const cosR = Math.cos(r);
  const sinR = Math.sin(r);

  return localJoints(params).map((j) => {
    // Turn about the finger (y) axis; a back view is a half turn.
    const xt = (j.x * Math.cos(yaw) + j.z * Math.sin(yaw)) * mirror;
    const zt = -j.x * Math.sin(yaw) + j.z * Math.cos(yaw);
    // Image axes: y grows downwards, so the fingers (+y local) point up.
    const u = xt * params.scale;
    const v = -j.y * params.scale;
    return {
      x: params.wrist.x + u * cosR - v * sinR,
      y: params.wrist.y + u * sinR + v * cosR,
      z: zt * params.scale,
    };
  });
}

/** Common finger shapes. */
export const STRAIGHT: FingerFlex = { mcp: 0, pip: 0, dip: 0 };
export const CURLED: FingerFlex = { mcp: 80, pip: 100, dip: 55 };
export const HALF_CURLED: FingerFlex = { mcp: 40, pip: 55, dip: 30 };
/** Thumb folded over curled fingers, as in a fist. */
export const THUMB_ACROSS: ThumbFlex = { abduction: 35, opposition: 40, mcp: 50, ip: 35 };
export const THUMB_OPEN: ThumbFlex = { abduction: 50, opposition: 10, mcp: 5, ip: 5 };
