/**
 * A quality flag: one finding of an automatic check on one hand, shown to reviewers.
 * `strong` means "almost certainly a labelling mistake" (DESIGN.md §4 strong signals);
 * `warning` means "unusual, have a look" — real photos can legitimately raise these.
 */
import { z } from "zod";
import { JOINT_COUNT, JOINT_NAMES } from "@/lib/hand/skeleton";

export const QUALITY_FLAG_CODES = [
  "handedness-mismatch",
  "finger-order",
  "finger-folded",
  "phalanx-ratio",
  "joints-coincide",
  "outside-image",
  "too-few-joints",
  "placed-without-position",
  "absent-with-position",
  "duplicate-hand",
  "model-unchanged",
  "bone-too-long",
  "chain-reversed",
  "on-image-border",
  "box-off-joints",
  "handedness-signal",
  "off-skin",
  "joint-off-finger",
  "joint-off-model",
  "handedness-network",
] as const;

export const ZQualityFlagCode = z.enum(QUALITY_FLAG_CODES);
export type TQualityFlagCode = z.infer<typeof ZQualityFlagCode>;

export const ZQualitySeverity = z.enum(["warning", "strong"]);
export type TQualitySeverity = z.infer<typeof ZQualitySeverity>;

export const ZQualityFlag = z.object({
  code: ZQualityFlagCode,
  severity: ZQualitySeverity,
  /** For people: what looks wrong and what to look at. */
  message: z.string().min(1),
  /** The joints involved, 0-based, so the canvas can highlight them. */
  joints: z.array(
    z
      .number()
      .int()
      .min(0)
      .max(JOINT_COUNT - 1),
  ),
});
export type TQualityFlag = z.infer<typeof ZQualityFlag>;

export function flag(
  code: TQualityFlagCode,
  severity: TQualitySeverity,
  message: string,
  joints: number[],
): TQualityFlag {
  return { code, severity, message, joints };
}

/** "index_mcp" → "index MCP", "thumb_tip" → "thumb tip": joint names as people say them. */
export function label(joint: number): string {
  const [finger, part] = JOINT_NAMES[joint]!.split("_");
  if (!part) return finger!;
  return `${finger} ${part === "tip" ? "tip" : part.toUpperCase()}`;
}
