/**
 * Which submitted annotations a reviewer sees: every flagged one, plus a random share of the rest
 * (the project's review sample rate). The others are accepted without review.
 */
export function needsReview(input: { sampleRate: number; flagged: boolean; random?: () => number }): boolean {
  if (input.flagged || input.sampleRate >= 1) return true;
  return (input.random ?? Math.random)() < input.sampleRate;
}
