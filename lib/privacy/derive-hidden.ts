/**
 * The attacker the small-cell tests play (here, so every table that leaves the app can be tried): knows every printed cell and the total, that "<5" is 0–4 and "≥5" is at least 5, and
 * enumerates (subset-sum DP, independent of the library's interval formula) every value each hidden
 * cell can take consistently with all of that.
 */
export function deriveHidden(shown: readonly string[], total: number, smallMin = 0): (number[] | null)[] {
  const ranges = shown.map(
    (s) => (s === "<5" ? [smallMin, 4] : s === "≥5" ? [5, total] : [Number(s), Number(s)]) as [number, number],
  );
  return shown.map((s, i) => {
    if (s !== "<5" && s !== "≥5") return null;
    let reachable = new Set([0]);
    ranges.forEach(([lo, hi], j) => {
      if (j === i) return;
      const next = new Set<number>();
      for (const r of reachable) for (let v = lo; v <= hi && r + v <= total; v++) next.add(r + v);
      reachable = next;
    });
    const values: number[] = [];
    for (let v = ranges[i]![0]; v <= ranges[i]![1]; v++) if (reachable.has(total - v)) values.push(v);
    return values;
  });
}
