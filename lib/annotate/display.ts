/**
 * How the photo is shown while labelling (never what is stored or exported): brightness, contrast and
 * gamma, as CSS filters on the image layer only, so joint and bone colours stay true.
 */
export type TDisplay = { brightness: number; contrast: number; gamma: number };

export const DEFAULT_DISPLAY: TDisplay = { brightness: 1, contrast: 1, gamma: 1 };
export const DISPLAY_RANGE = { min: 0.3, max: 3, step: 0.1 } as const;

/** The SVG filter element id the gamma step refers to (rendered beside the canvas). */
export const GAMMA_FILTER_ID = "phalanx-display-gamma";

export function clampDisplay(display: TDisplay): TDisplay {
  const clamp = (v: number) => Math.min(DISPLAY_RANGE.max, Math.max(DISPLAY_RANGE.min, Number.isFinite(v) ? v : 1));
  return { brightness: clamp(display.brightness), contrast: clamp(display.contrast), gamma: clamp(display.gamma) };
}

/** The CSS `filter` value; empty for the defaults, so an unadjusted image is drawn untouched. */
export function displayFilter(display: TDisplay): string {
  const { brightness, contrast, gamma } = clampDisplay(display);
  const parts = [];
  if (brightness !== 1) parts.push(`brightness(${brightness})`);
  if (contrast !== 1) parts.push(`contrast(${contrast})`);
  if (gamma !== 1) parts.push(`url(#${GAMMA_FILTER_ID})`);
  return parts.join(" ");
}
