"use client";

import { useId, useState } from "react";
import { callApi } from "@/components/forms/call-api";
import { TARGET_KINDS, TARGET_KIND_LABELS, type TTarget } from "@/lib/coverage/targets";
import type { TDimensionId } from "@/lib/coverage/dimensions";
import styles from "./coverage.module.css";

export type TDimensionOption = { id: TDimensionId; label: string; values: { value: string; label: string }[] };
type TCondition = { dimension: TDimensionId | ""; values: string[] };

/**
 * Adds a coverage target: "at least N hands" or "at most / at least a share", over a cell made of
 * conditions (dimension = one of several values), optionally once per value of another dimension.
 */
export function TargetForm({
  projectId,
  dimensions,
  onSaved,
}: {
  projectId: string;
  dimensions: TDimensionOption[];
  onSaved: () => void;
}) {
  const id = useId();
  const [name, setName] = useState("");
  const [kind, setKind] = useState<(typeof TARGET_KINDS)[number]>("min_count");
  const [value, setValue] = useState("");
  const [conditions, setConditions] = useState<TCondition[]>([{ dimension: "", values: [] }]);
  const [each, setEach] = useState<TDimensionId | "">("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const share = kind !== "min_count";
  const dimension = (d: TDimensionId | "") => dimensions.find((x) => x.id === d);

  const setCondition = (i: number, next: TCondition) => setConditions(conditions.map((c, j) => (j === i ? next : c)));

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    setError(null);
    const number = Number(value);
    const cell = Object.fromEntries(conditions.filter((c) => c.dimension).map((c) => [c.dimension, c.values]));
    const body = { name, kind, value: share ? number / 100 : number, cell, each: each || null };
    setBusy(true);
    const result = await callApi<{ target: TTarget }>("POST", `/api/projects/${projectId}/coverage/targets`, body);
    setBusy(false);
    if (!result.ok) {
      const fields = Object.entries(result.fields)
        .map(([field, message]) => `${field}: ${message}`)
        .join("; ");
      setError(fields ? `${result.error} (${fields})` : result.error);
      return;
    }
    setName("");
    setValue("");
    setConditions([{ dimension: "", values: [] }]);
    setEach("");
    onSaved();
  }

  return (
    <form onSubmit={submit} className="stack card" aria-labelledby={`${id}-title`} data-testid="target-form">
      <h3 id={`${id}-title`} style={{ margin: 0 }}>
        Add a target
      </h3>
      <div className={styles.filters}>
        <label>
          Name
          <input
            value={name}
            onChange={(e) => setName(e.target.value)}
            required
            maxLength={120}
            placeholder="e.g. Dark skin tones"
            data-testid="target-name"
          />
        </label>
        <label>
          Kind
          <select value={kind} onChange={(e) => setKind(e.target.value as typeof kind)} data-testid="target-kind">
            {TARGET_KINDS.map((k) => (
              <option key={k} value={k}>
                {TARGET_KIND_LABELS[k]}
              </option>
            ))}
          </select>
        </label>
        <label>
          {share ? "Share (%)" : "Hands"}
          <input
            type="number"
            min={share ? 0.1 : 1}
            max={share ? 99.9 : undefined}
            step={share ? 0.1 : 1}
            value={value}
            onChange={(e) => setValue(e.target.value)}
            required
            data-testid="target-value"
          />
        </label>
        <label>
          Each value of (optional)
          <select value={each} onChange={(e) => setEach(e.target.value as TDimensionId | "")} data-testid="target-each">
            <option value="">—</option>
            {dimensions.map((d) => (
              <option key={d.id} value={d.id}>
                {d.label}
              </option>
            ))}
          </select>
        </label>
      </div>
      <fieldset className="stack" style={{ border: "none", padding: 0, margin: 0 }}>
        <legend className="muted">Which hands (all conditions must hold; leave empty for all hands)</legend>
        {conditions.map((condition, i) => (
          <div key={i} className={styles.condition} data-testid={`target-condition-${i}`}>
            <select
              aria-label={`Condition ${i + 1}: dimension`}
              value={condition.dimension}
              onChange={(e) => setCondition(i, { dimension: e.target.value as TDimensionId | "", values: [] })}
              data-testid={`condition-dimension-${i}`}
            >
              <option value="">Choose a dimension…</option>
              {dimensions.map((d) => (
                <option key={d.id} value={d.id}>
                  {d.label}
                </option>
              ))}
            </select>
            <span className={styles.values} role="group" aria-label={`Condition ${i + 1}: values`}>
              {dimension(condition.dimension)?.values.map((v) => (
                <label key={v.value} style={{ flexDirection: "row", gap: 4, display: "inline-flex" }}>
                  <input
                    type="checkbox"
                    checked={condition.values.includes(v.value)}
                    onChange={(e) =>
                      setCondition(i, {
                        ...condition,
                        values: e.target.checked
                          ? [...condition.values, v.value]
                          : condition.values.filter((x) => x !== v.value),
                      })
                    }
                    data-testid={`condition-${i}-value-${v.value}`}
                  />
                  {v.label}
                </label>
              ))}
            </span>
            {conditions.length > 1 && (
              <button type="button" onClick={() => setConditions(conditions.filter((_, j) => j !== i))}>
                Remove
              </button>
            )}
          </div>
        ))}
        <div>
          <button
            type="button"
            onClick={() => setConditions([...conditions, { dimension: "", values: [] }])}
            data-testid="add-condition"
          >
            Add condition
          </button>
        </div>
      </fieldset>
      {error && (
        <div className="alert" role="alert" data-testid="target-error">
          {error}
        </div>
      )}
      <div>
        <button type="submit" disabled={busy} data-testid="target-save">
          {busy ? "Saving…" : "Add target"}
        </button>
      </div>
    </form>
  );
}
