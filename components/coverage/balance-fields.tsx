"use client";

import { useState } from "react";
import { DIMENSION_IDS, DIMENSIONS, type TDimensionId } from "@/lib/coverage/dimensions";
import type { TBalanceOptions } from "@/lib/coverage/balance";

/** The export form's balancing fields (named inputs read by `balanceFromForm`). */
export function BalanceFields() {
  const [mode, setMode] = useState<TBalanceOptions["mode"]>("none");
  return (
    <fieldset className="row" style={{ border: 0 }}>
      <legend className="muted">Balance (reproducible with the seed)</legend>
      <label>
        Balancing
        <select
          name="balanceMode"
          value={mode}
          onChange={(e) => setMode(e.target.value as TBalanceOptions["mode"])}
          data-testid="export-balance-mode"
        >
          <option value="none">none: every eligible image</option>
          <option value="cap">cap each value at N images</option>
          <option value="distribution">sample to target shares</option>
        </select>
      </label>
      {mode !== "none" && (
        <label>
          By
          <select name="balanceDimension" defaultValue="skinToneBand" data-testid="export-balance-dimension">
            {DIMENSION_IDS.map((d: TDimensionId) => (
              <option key={d} value={d}>
                {DIMENSIONS[d].label}
              </option>
            ))}
          </select>
        </label>
      )}
      {mode === "cap" && (
        <label>
          Images per value
          <input name="balanceCap" type="number" min={1} required defaultValue={100} data-testid="export-balance-cap" />
        </label>
      )}
      {mode === "distribution" && (
        <label>
          Shares (value: weight, …)
          <input
            name="balanceShares"
            required
            placeholder="1-3: 1, 4-7: 1, 8-10: 1"
            data-testid="export-balance-shares"
          />
        </label>
      )}
    </fieldset>
  );
}

/** The `balance` export option from the form; the server validates it (zod) and names any bad field. */
export function balanceFromForm(form: FormData): unknown {
  const mode = String(form.get("balanceMode") ?? "none");
  if (mode === "cap") return { mode, dimension: form.get("balanceDimension"), cap: Number(form.get("balanceCap")) };
  if (mode === "distribution") {
    const pairs = String(form.get("balanceShares") ?? "")
      .split(",")
      .map((part) => part.split(":").map((s) => s.trim()))
      .filter((p) => p[0]);
    const total = pairs.reduce((sum, [, w]) => sum + (Number(w) || 0), 0) || 1;
    return {
      mode,
      dimension: form.get("balanceDimension"),
      shares: Object.fromEntries(pairs.map(([v, w]) => [v, (Number(w) || 0) / total])),
    };
  }
  return { mode: "none" };
}
