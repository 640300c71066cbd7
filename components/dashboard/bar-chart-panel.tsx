"use client";

import { useId } from "react";
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import styles from "./dashboard.module.css";

export type TChartSeries = { key: string; label: string; color: string };
export type TChartRow = { label: string } & Record<string, number | string>;

const axis = { stroke: "var(--border)", tick: { fill: "var(--text-muted)", fontSize: 12 } };

/**
 * A titled bar chart (recharts, sized by its container) with the same figures as a table under it, in a
 * <details>, for screen readers and for reading exact values. `horizontal` lays categories out as rows
 * (long labels such as flag codes); several series are stacked.
 */
export function BarChartPanel({
  title,
  description,
  rows,
  series,
  categoryLabel,
  horizontal = false,
  testId,
  empty,
}: {
  title: string;
  description: string;
  rows: TChartRow[];
  series: TChartSeries[];
  categoryLabel: string;
  horizontal?: boolean;
  testId: string;
  /** Shown instead of the chart when there is nothing to draw. */
  empty?: string;
}) {
  const titleId = useId();
  const descriptionId = useId();
  const stacked = series.length > 1;
  const height = horizontal ? Math.max(160, rows.length * 30 + 60) : 260;
  return (
    <figure className={styles.figure} aria-labelledby={titleId} aria-describedby={descriptionId} data-testid={testId}>
      <h3 id={titleId}>{title}</h3>
      <p id={descriptionId} className="muted" style={{ margin: 0, fontSize: "var(--text-sm)" }}>
        {description}
      </p>
      {empty ? (
        <div className="empty" data-testid={`${testId}-empty`}>
          {empty}
        </div>
      ) : (
        <>
          <div style={{ width: "100%", height }} data-testid={`${testId}-canvas`}>
            <ResponsiveContainer width="100%" height="100%" initialDimension={{ width: 400, height }}>
              <BarChart
                data={rows}
                layout={horizontal ? "vertical" : "horizontal"}
                title={title}
                desc={description}
                margin={{ top: 8, right: 16, bottom: 8, left: 8 }}
              >
                <CartesianGrid
                  stroke="var(--border)"
                  strokeDasharray="3 3"
                  horizontal={!horizontal}
                  vertical={horizontal}
                />
                {horizontal ? (
                  <>
                    <XAxis type="number" allowDecimals={false} {...axis} />
                    <YAxis type="category" dataKey="label" width={170} interval={0} {...axis} />
                  </>
                ) : (
                  <>
                    <XAxis type="category" dataKey="label" interval={0} {...axis} />
                    <YAxis type="number" allowDecimals={false} width={48} {...axis} />
                  </>
                )}
                <Tooltip
                  cursor={{ fill: "var(--surface-2)" }}
                  contentStyle={{
                    background: "var(--surface)",
                    border: "1px solid var(--border)",
                    borderRadius: "var(--radius)",
                    color: "var(--text)",
                  }}
                  labelStyle={{ color: "var(--text)" }}
                  itemStyle={{ color: "var(--text)" }}
                />
                {stacked && <Legend wrapperStyle={{ fontSize: 12, color: "var(--text-muted)" }} />}
                {series.map((s) => (
                  <Bar
                    key={s.key}
                    dataKey={s.key}
                    name={s.label}
                    fill={s.color}
                    stackId={stacked ? "stack" : undefined}
                    isAnimationActive={false}
                    maxBarSize={48}
                  />
                ))}
              </BarChart>
            </ResponsiveContainer>
          </div>
          <details className={styles.fallback} data-testid={`${testId}-table`}>
            <summary>Show as table</summary>
            <table>
              <caption className="sr-only">{title}</caption>
              <thead>
                <tr>
                  <th scope="col">{categoryLabel}</th>
                  {series.map((s) => (
                    <th scope="col" key={s.key} style={{ textAlign: "right" }}>
                      {s.label}
                    </th>
                  ))}
                  {stacked && (
                    <th scope="col" style={{ textAlign: "right" }}>
                      Total
                    </th>
                  )}
                </tr>
              </thead>
              <tbody>
                {rows.map((row) => (
                  <tr key={row.label}>
                    <th scope="row">{row.label}</th>
                    {series.map((s) => (
                      <td key={s.key} style={{ textAlign: "right" }}>
                        {row[s.key]}
                      </td>
                    ))}
                    {stacked && (
                      <td style={{ textAlign: "right" }}>
                        {series.reduce((sum, s) => sum + Number(row[s.key] ?? 0), 0)}
                      </td>
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          </details>
        </>
      )}
    </figure>
  );
}
