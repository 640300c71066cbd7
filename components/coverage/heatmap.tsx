"use client";

import type { TCoverageReport } from "@/lib/server/coverage/coverage-report";
import styles from "./coverage.module.css";
import { viridis } from "./viridis";

/**
 * Two-way table of hand counts coloured with viridis (colour-blind safe), the count printed in every
 * cell so colour is never the only cue; rows and columns carry their totals.
 */
export function Heatmap({ pair, xLabel, yLabel }: { pair: TCoverageReport["pair"]; xLabel: string; yLabel: string }) {
  const max = Math.max(1, ...pair.counts.flat());
  const colTotals = pair.xValues.map((_, x) => pair.counts.reduce((sum, row) => sum + row[x], 0));
  return (
    <div className={styles.scroll}>
      <table className={styles.heatmap} data-testid="coverage-heatmap">
        <caption className="sr-only">
          Hands by {yLabel} (rows) and {xLabel} (columns)
        </caption>
        <thead>
          <tr>
            <th scope="col">
              {yLabel} ↓ · {xLabel} →
            </th>
            {pair.xValues.map((x) => (
              <th scope="col" key={x.value}>
                {x.label}
              </th>
            ))}
            <th scope="col">Total</th>
          </tr>
        </thead>
        <tbody>
          {pair.yValues.map((y, yi) => (
            <tr key={y.value}>
              <th scope="row" style={{ textAlign: "left" }}>
                {y.label}
              </th>
              {pair.xValues.map((x, xi) => {
                const n = pair.counts[yi][xi];
                return (
                  <td
                    key={x.value}
                    style={n ? viridis(n / max) : undefined}
                    title={`${y.label} × ${x.label}: ${n} hands`}
                    data-testid={`heat-${y.value}-${x.value}`}
                  >
                    {n}
                  </td>
                );
              })}
              <td className={styles.num}>
                <strong>{pair.counts[yi].reduce((a, b) => a + b, 0)}</strong>
              </td>
            </tr>
          ))}
          <tr>
            <th scope="row" style={{ textAlign: "left" }}>
              Total
            </th>
            {colTotals.map((n, i) => (
              <td key={pair.xValues[i].value}>
                <strong>{n}</strong>
              </td>
            ))}
            <td />
          </tr>
        </tbody>
      </table>
      <div className={styles.legend} aria-hidden="true">
        <span>0</span>
        <span className={styles.legendBar} />
        <span>{max}</span>
      </div>
    </div>
  );
}
