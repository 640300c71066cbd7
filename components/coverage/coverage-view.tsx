"use client";

import { useCallback, useMemo, useState } from "react";
import { BarChartPanel } from "@/components/dashboard/bar-chart-panel";
import { callApi } from "@/components/forms/call-api";
import type { TCoverageReport } from "@/lib/server/coverage/coverage-report";
import type { TDimensionId } from "@/lib/coverage/dimensions";
import { Heatmap } from "./heatmap";
import { TargetForm, type TDimensionOption } from "./target-form";
import styles from "./coverage.module.css";

type TFilters = { scope: "accepted" | "labelled"; from: string; to: string; x: TDimensionId; y: TDimensionId };

const search = (f: TFilters) => {
  const params = new URLSearchParams({ scope: f.scope, x: f.x, y: f.y });
  if (f.from) params.set("from", new Date(`${f.from}T00:00:00`).toISOString());
  if (f.to) params.set("to", new Date(`${f.to}T23:59:59.999`).toISOString());
  return params.toString();
};
const pct = (n: number) => `${(n * 100).toFixed(1)}%`;

/**
 * The Coverage page: which hands the dataset has and lacks, over every dimension, with the project's
 * targets (largest gaps first) and the shot list for the next capture session. Managers see exact counts.
 */
export function CoverageView({
  projectId,
  initial,
  canEditTargets,
  queueCoverageFirst,
}: {
  projectId: string;
  initial: TCoverageReport;
  canEditTargets: boolean;
  queueCoverageFirst: boolean;
}) {
  const [steer, setSteer] = useState(queueCoverageFirst);
  const [report, setReport] = useState(initial);
  const [filters, setFilters] = useState<TFilters>({
    scope: initial.query.scope,
    from: "",
    to: "",
    x: initial.query.x,
    y: initial.query.y,
  });
  const [oneWay, setOneWay] = useState<TDimensionId>("skinTone");
  const [tableView, setTableView] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);

  const load = useCallback(
    async (f: TFilters) => {
      setLoading(true);
      const result = await callApi<TCoverageReport>("GET", `/api/projects/${projectId}/coverage?${search(f)}`);
      setLoading(false);
      if (result.ok) {
        setReport(result.data);
        setError(null);
      } else setError(result.error);
    },
    [projectId],
  );

  const update = (patch: Partial<TFilters>) => {
    const next = { ...filters, ...patch };
    setFilters(next);
    void load(next);
  };

  const dimensions: TDimensionOption[] = useMemo(
    () =>
      report.marginals.map((m) => ({
        id: m.dimension,
        label: m.label,
        values: m.values.map((v) => ({ value: v.value, label: v.label })),
      })),
    [report.marginals],
  );
  const labelOf = (d: TDimensionId) => report.marginals.find((m) => m.dimension === d)?.label ?? d;
  const marginal = report.marginals.find((m) => m.dimension === oneWay)!;

  async function removeTarget(targetId: string) {
    const result = await callApi("DELETE", `/api/projects/${projectId}/coverage/targets/${targetId}`);
    if (!result.ok) setError(result.error);
    await load(filters);
  }

  async function toggleSteering(enabled: boolean) {
    const result = await callApi<{ queueCoverageFirst: boolean }>("PUT", `/api/projects/${projectId}/coverage/queue`, {
      queueCoverageFirst: enabled,
    });
    if (result.ok) setSteer(result.data.queueCoverageFirst);
    else setError(result.error);
  }

  return (
    <div className="stack" data-testid="coverage" aria-busy={loading}>
      <section className={styles.section} aria-labelledby="cov-filters">
        <h2 id="cov-filters" className="sr-only">
          Filters
        </h2>
        <div className={styles.filters}>
          <label>
            Hands
            <select
              value={filters.scope}
              onChange={(e) => update({ scope: e.target.value as TFilters["scope"] })}
              data-testid="coverage-scope"
            >
              <option value="accepted">Accepted</option>
              <option value="labelled">All labelled (accepted + waiting for review)</option>
            </select>
          </label>
          <label>
            Labelled from
            <input
              type="date"
              value={filters.from}
              onChange={(e) => update({ from: e.target.value })}
              data-testid="coverage-from"
            />
          </label>
          <label>
            to
            <input
              type="date"
              value={filters.to}
              onChange={(e) => update({ to: e.target.value })}
              data-testid="coverage-to"
            />
          </label>
          <span className="muted" data-testid="coverage-total">
            {report.totalHands} {report.totalHands === 1 ? "hand" : "hands"} counted
            {loading ? " · updating…" : ` · ${report.ms} ms`}
          </span>
        </div>
        {error && (
          <div className="alert" role="alert" data-testid="coverage-error">
            {error}
          </div>
        )}
      </section>

      <section className={styles.section} aria-labelledby="cov-targets">
        <h2 id="cov-targets">Targets</h2>
        {report.targets.length === 0 ? (
          <div className="empty" data-testid="targets-empty">
            No targets yet. Add one below, e.g. “at least 300 hands with Monk 8–10” or “at most 20% of hands with
            gesture open palm”.
          </div>
        ) : (
          <table data-testid="gap-list">
            <caption className="sr-only">Targets, largest gaps first</caption>
            <thead>
              <tr>
                <th scope="col">Target</th>
                <th scope="col">Cell</th>
                <th scope="col">Progress</th>
                <th scope="col" className={styles.num}>
                  Now
                </th>
                <th scope="col" className={styles.num}>
                  Target
                </th>
                <th scope="col" className={styles.num}>
                  Gap (hands)
                </th>
                {canEditTargets && (
                  <th scope="col">
                    <span className="sr-only">Actions</span>
                  </th>
                )}
              </tr>
            </thead>
            <tbody>
              {report.targets.map((line, i) => {
                const shareKind = line.kind !== "min_count";
                return (
                  <tr key={`${line.targetId}-${i}`} data-testid="gap-row" data-met={line.met}>
                    <td>{line.targetName}</td>
                    <td>{line.cellLabel}</td>
                    <td>
                      <span
                        className={styles.progress}
                        role="progressbar"
                        aria-valuemin={0}
                        aria-valuemax={100}
                        aria-valuenow={Math.round(line.progress * 100)}
                        aria-label={`${line.targetName}: ${Math.round(line.progress * 100)}%`}
                      >
                        <span
                          className={line.kind === "max_share" && !line.met ? styles.progressOver : styles.progressFill}
                          style={{ width: `${Math.round(line.progress * 100)}%` }}
                        />
                      </span>{" "}
                      {line.met ? <span className="status-ok">met</span> : `${Math.round(line.progress * 100)}%`}
                    </td>
                    <td className={styles.num}>
                      {shareKind ? `${line.hands} (${pct(line.total ? line.hands / line.total : 0)})` : line.hands}
                    </td>
                    <td className={styles.num}>
                      {line.kind === "min_count"
                        ? `≥ ${line.want}`
                        : `${line.kind === "max_share" ? "≤" : "≥"} ${pct(line.want)}`}
                    </td>
                    <td className={styles.num} data-testid="gap-value">
                      {line.met ? "–" : line.kind === "max_share" ? `${line.gap} over` : line.gap}
                    </td>
                    {canEditTargets && (
                      <td>
                        {report.targets.findIndex((t) => t.targetId === line.targetId) === i && (
                          <button
                            type="button"
                            onClick={() => removeTarget(line.targetId)}
                            aria-label={`Remove target ${line.targetName}`}
                          >
                            Remove
                          </button>
                        )}
                      </td>
                    )}
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
        {canEditTargets && (
          <label className="row">
            <input
              type="checkbox"
              checked={steer}
              onChange={(e) => void toggleSteering(e.target.checked)}
              data-testid="coverage-steer-queue"
            />
            Work queue: hand out images that fill open targets first (judged from the photographed person&apos;s
            self-reported demographics and skin tone)
          </label>
        )}
        {canEditTargets && <TargetForm projectId={projectId} dimensions={dimensions} onSaved={() => load(filters)} />}
      </section>

      <section className={styles.section} aria-labelledby="cov-shots">
        <div className="row" style={{ justifyContent: "space-between" }}>
          <h2 id="cov-shots">Shot list</h2>
          <a
            href={`/api/projects/${projectId}/coverage/shot-list?${search(filters)}`}
            download="shot-list.csv"
            data-testid="shot-list-download"
          >
            Download shot list (CSV)
          </a>
        </div>
        <p className="muted" style={{ margin: 0 }}>
          What to photograph next, from the targets still short of hands. In the CSV, demographic cells with fewer than
          5 people are shown as “&lt;5”.
        </p>
        {report.shots.length === 0 ? (
          <div className="empty" data-testid="shots-empty">
            {report.targets.length ? "Every “at least” target is met." : "Add targets to get a shot list."}
          </div>
        ) : (
          <table data-testid="shot-list">
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">Photograph</th>
                <th scope="col">For target</th>
                <th scope="col" className={styles.num}>
                  Hands needed
                </th>
              </tr>
            </thead>
            <tbody>
              {report.shots.map((s) => (
                <tr key={s.priority}>
                  <td>{s.priority}</td>
                  <td>{s.photograph}</td>
                  <td>{s.target}</td>
                  <td className={styles.num}>{s.handsNeeded}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section className={styles.section} aria-labelledby="cov-oneway">
        <div className="row" style={{ justifyContent: "space-between" }}>
          <h2 id="cov-oneway">Counts per dimension</h2>
          <label className="row">
            <input
              type="checkbox"
              checked={tableView}
              onChange={(e) => setTableView(e.target.checked)}
              data-testid="coverage-table-view"
            />{" "}
            Table view (every dimension)
          </label>
        </div>
        {report.totalHands === 0 && (
          <div className="empty" data-testid="coverage-empty">
            No {filters.scope === "accepted" ? "accepted" : "labelled"} hands
            {filters.from || filters.to ? " in this period" : ""} yet. Counts appear here as annotators label and
            reviewers accept hands.
          </div>
        )}
        {tableView ? (
          <div className={styles.scroll}>
            <table data-testid="coverage-table">
              <thead>
                <tr>
                  <th scope="col">Dimension</th>
                  <th scope="col">Value</th>
                  <th scope="col" className={styles.num}>
                    Hands
                  </th>
                  <th scope="col" className={styles.num}>
                    Share
                  </th>
                </tr>
              </thead>
              <tbody>
                {report.marginals.flatMap((m) =>
                  m.values.map((v, i) => (
                    <tr key={`${m.dimension}-${v.value}`}>
                      {i === 0 ? (
                        <th
                          scope="rowgroup"
                          rowSpan={m.values.length}
                          style={{ textAlign: "left", verticalAlign: "top" }}
                        >
                          {m.label}
                        </th>
                      ) : null}
                      <td>{v.label}</td>
                      <td className={styles.num}>{v.hands}</td>
                      <td className={styles.num}>{report.totalHands ? pct(v.hands / report.totalHands) : "–"}</td>
                    </tr>
                  )),
                )}
              </tbody>
            </table>
          </div>
        ) : (
          <>
            <label className="row">
              Dimension
              <select
                value={oneWay}
                onChange={(e) => setOneWay(e.target.value as TDimensionId)}
                data-testid="coverage-oneway-dimension"
              >
                {report.marginals.map((m) => (
                  <option key={m.dimension} value={m.dimension}>
                    {m.label}
                  </option>
                ))}
              </select>
            </label>
            <BarChartPanel
              title={marginal.label}
              description={`Hands per value${marginal.demographic ? " (self-reported by the person, aggregated; never shown per person)" : ""}.${marginal.dimension === "condition" ? " A hand in an image with several flags counts under each." : ""}`}
              rows={marginal.values.map((v) => ({ label: v.label, hands: v.hands }))}
              series={[{ key: "hands", label: "Hands", color: "#31688e" }]}
              categoryLabel={marginal.label}
              horizontal
              testId="coverage-oneway"
            />
          </>
        )}
      </section>

      <section className={styles.section} aria-labelledby="cov-twoway">
        <h2 id="cov-twoway">Two dimensions</h2>
        <div className={styles.filters}>
          <DimensionSelect
            label="Columns"
            value={filters.x}
            marginals={report.marginals}
            onChange={(x) => update({ x })}
            testId="coverage-x"
          />
          <DimensionSelect
            label="Rows"
            value={filters.y}
            marginals={report.marginals}
            onChange={(y) => update({ y })}
            testId="coverage-y"
          />
        </div>
        <Heatmap pair={report.pair} xLabel={labelOf(report.pair.x)} yLabel={labelOf(report.pair.y)} />
      </section>
    </div>
  );
}

function DimensionSelect(props: {
  label: string;
  value: TDimensionId;
  marginals: readonly { dimension: TDimensionId; label: string }[];
  onChange: (value: TDimensionId) => void;
  testId: string;
}) {
  return (
    <label>
      {props.label}
      <select
        value={props.value}
        onChange={(e) => props.onChange(e.target.value as TDimensionId)}
        data-testid={props.testId}
      >
        {props.marginals.map((m) => (
          <option key={m.dimension} value={m.dimension}>
            {m.label}
          </option>
        ))}
      </select>
    </label>
  );
}
