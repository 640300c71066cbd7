/**
 * Small-cell protection for counts about subjects that leave the app (shot-list CSV, datasheet).
 * Minimal stand-in: a cell backed by 1–4 distinct subjects is shown as "<5". Kept to this one function
 * so the project-wide complementary suppression (lib/privacy/small-cells.ts) can replace it.
 */
export const SMALL_CELL = 5;

export function protectedCount(count: number, subjects: number | null): string {
  const people = subjects ?? count;
  return people > 0 && people < SMALL_CELL ? `<${SMALL_CELL}` : String(count);
}
