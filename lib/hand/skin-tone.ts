/**
 * Monk Skin Tone scale swatches (DESIGN.md §2), index 0 = tone 1 (lightest) … index 9 = tone 10.
 * Kept beside the hand model so every part shows the same colour for the same tone.
 */
export const MONK_SKIN_TONES = [
  "#f6ede4",
  "#f3e7db",
  "#f7ead0",
  "#eadaba",
  "#d7bd96",
  "#a07e56",
  "#825c43",
  "#604134",
  "#3a312a",
  "#292420",
] as const;

export const MONK_MIN = 1;
export const MONK_MAX = 10;

/** Swatch for a Monk tone 1–10; throws on anything else so a bad value never renders silently. */
export function monkSwatch(tone: number): string {
  const swatch = Number.isInteger(tone) ? MONK_SKIN_TONES[tone - 1] : undefined;
  if (swatch === undefined) throw new RangeError(`Monk skin tone must be an integer 1–10, got ${tone}`);
  return swatch;
}
