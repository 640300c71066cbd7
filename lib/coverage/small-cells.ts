/**
 * Small-cell protection for ONE count about subjects that stands alone: a target's cell in the shot-list
 * CSV or the datasheet. Target cells overlap and publish no total they partition, so no other figure
 * lets a reader subtract their way to a hidden one; a cell backed by 1–4 distinct subjects is shown as
 * "<5". Tables whose rows partition a published total use lib/privacy/small-cells.ts (complementary
 * suppression) instead.
 */
export const SMALL_CELL = 5;

export function protectedCount(count: number, subjects: number | null): string {
  const people = subjects ?? count;
  return people > 0 && people < SMALL_CELL ? `<${SMALL_CELL}` : String(count);
}
