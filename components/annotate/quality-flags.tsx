import type { THandFlag } from "@/lib/qc/annotation-flags";

/** The automatic checks' findings, strong first; shown to the annotator before submitting and to the reviewer. */
export function QualityFlags({ flags }: { flags: THandFlag[] }) {
  const sorted = [...flags].sort((a, b) =>
    a.severity === b.severity ? a.hand - b.hand : a.severity === "strong" ? -1 : 1,
  );
  const strong = flags.filter((f) => f.severity === "strong").length;
  return (
    <section data-testid="quality-flags" data-strong={strong} data-count={flags.length} aria-label="Quality checks">
      <strong>Checks</strong>
      {flags.length === 0 ? (
        <p className="muted">No check raised a flag.</p>
      ) : (
        <ul style={{ paddingLeft: 16, margin: 0 }}>
          {sorted.map((f, i) => (
            <li
              key={i}
              className={f.severity === "strong" ? "status-bad" : "status-warn"}
              data-testid="quality-flag"
              data-code={f.code}
              data-severity={f.severity}
            >
              Hand {f.hand + 1}: {f.message}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
