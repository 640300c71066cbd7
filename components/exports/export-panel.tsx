"use client";

import { useCallback, useEffect, useState } from "react";
import { callApi } from "@/components/forms/call-api";
import { BalanceFields, balanceFromForm } from "@/components/coverage/balance-fields";
import { FormError } from "@/components/forms/form-status";
import { exportSummary } from "@/lib/export/export-summary";
import type { SplitRatios } from "@/lib/export/splits";
import { plural } from "@/lib/text/plural";

type TExportRow = {
  id: string;
  status: string;
  progress: number;
  unblurred: boolean;
  error: string | null;
  createdAt: string;
  finishedAt: string | null;
  options: { purpose: string; formats: string[]; splits?: SplitRatios };
  manifest: {
    counts?: { images: number; hands: number; subjects: number };
    leftOut?: { reason: string; count: number }[];
  } | null;
  requestedBy: { name: string } | null;
  revokedAt: string | null;
  revokedReason: string | null;
  supersedesId: string | null;
};

/** The export form and the list of exports, polled while any is queued or running. */
export function ExportPanel({ projectId }: { projectId: string }) {
  const [rows, setRows] = useState<TExportRow[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [unblurred, setUnblurred] = useState(false);

  const refresh = useCallback(async () => {
    const result = await callApi<{ exports: TExportRow[] }>("GET", `/api/projects/${projectId}/exports`);
    if (result.ok) setRows(result.data.exports);
  }, [projectId]);

  useEffect(() => {
    void refresh();
  }, [refresh]);
  const busy = rows.some((row) => row.status === "queued" || row.status === "running");
  useEffect(() => {
    if (!busy) return;
    const timer = setInterval(() => void refresh(), 1500);
    return () => clearInterval(timer);
  }, [busy, refresh]);

  async function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const result = await callApi("POST", `/api/projects/${projectId}/exports`, {
      purpose: form.get("purpose"),
      statuses: form.getAll("statuses"),
      formats: ["coco", ...(["yolo", "hf"] as const).filter((format) => form.get(format) === "on")],
      splits: {
        train: Number(form.get("train")) / 100,
        val: Number(form.get("val")) / 100,
        test: Number(form.get("test")) / 100,
      },
      seed: Number(form.get("seed")),
      balance: balanceFromForm(form),
      unblurred,
      unblurredReason: unblurred ? form.get("unblurredReason") : undefined,
      includeOriginalFileNames: form.get("includeOriginalFileNames") === "on",
    });
    if (!result.ok)
      return setError(
        result.error +
          (Object.keys(result.fields).length
            ? ` (${Object.entries(result.fields)
                .map(([k, v]) => `${k}: ${v}`)
                .join("; ")})`
            : ""),
      );
    setError(null);
    await refresh();
  }

  async function rebuild(exportId: string) {
    const result = await callApi("POST", `/api/projects/${projectId}/exports/${exportId}/rebuild`, {});
    if (!result.ok) return setError(result.error);
    setError(null);
    await refresh();
  }

  return (
    <div className="stack">
      <form className="form card" onSubmit={onSubmit} aria-label="New export">
        <div className="row">
          <label>
            Purpose (checked against each subject's consent)
            <select name="purpose" defaultValue="research" data-testid="export-purpose">
              <option value="research">research</option>
              <option value="commercial">commercial</option>
              <option value="redistribution">redistribution / publication</option>
            </select>
          </label>
          <fieldset className="row" style={{ border: 0 }}>
            <legend className="muted">Labels</legend>
            <label className="inline">
              <input type="checkbox" name="statuses" value="accepted" defaultChecked />
              accepted
            </label>
            <label className="inline">
              <input type="checkbox" name="statuses" value="submitted" />
              submitted (not yet reviewed)
            </label>
          </fieldset>
          <label className="inline">
            <input type="checkbox" name="yolo" data-testid="export-yolo" />
            also YOLO pose labels
          </label>
          <label className="inline">
            <input type="checkbox" name="hf" data-testid="export-hf" />
            also Hugging Face imagefolder (metadata.jsonl)
          </label>
        </div>
        <div className="row">
          <label>
            Train %<input name="train" type="number" min={0} max={100} defaultValue={80} />
          </label>
          <label>
            Val %<input name="val" type="number" min={0} max={100} defaultValue={10} />
          </label>
          <label>
            Test %<input name="test" type="number" min={0} max={100} defaultValue={10} />
          </label>
          <label>
            Seed
            <input name="seed" type="number" defaultValue={42} />
          </label>
        </div>
        <BalanceFields />
        <label className="inline">
          <input type="checkbox" name="includeOriginalFileNames" data-testid="export-file-names" />
          Include original file names in phalanx.json (labels only; they may contain personal data)
        </label>
        <label className="inline">
          <input
            type="checkbox"
            checked={unblurred}
            onChange={(e) => setUnblurred(e.target.checked)}
            data-testid="export-unblurred"
          />
          Export unblurred originals (fingerprints stay readable)
        </label>
        {unblurred && (
          <label>
            Reason (recorded in the audit log and the manifest)
            <textarea name="unblurredReason" required minLength={10} data-testid="export-unblurred-reason" />
          </label>
        )}
        <FormError message={error} testId="export-error" />
        <div>
          <button className="primary" type="submit" data-testid="export-start">
            Start export
          </button>
        </div>
      </form>
      {rows.length === 0 ? (
        <div className="empty">
          No export yet. Exports contain only images whose subjects consent to the chosen purpose; fingertips are
          blurred.
        </div>
      ) : (
        <table data-testid="export-table">
          <thead>
            <tr>
              <th>Requested</th>
              <th>Purpose</th>
              <th>Status</th>
              <th>Contents</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr
                key={row.id}
                data-testid="export-row"
                data-status={row.status}
                data-revoked={row.revokedAt ? "true" : "false"}
                data-export-id={row.id}
              >
                <td>
                  {new Date(row.createdAt).toLocaleString()}
                  <div className="muted">{row.requestedBy?.name}</div>
                </td>
                <td>
                  {row.options.purpose}
                  {row.unblurred && <span className="badge status-warn">unblurred</span>}
                </td>
                <td style={{ minWidth: 160 }}>
                  {row.status === "running" || row.status === "queued" ? (
                    <div
                      className="progress"
                      role="progressbar"
                      aria-label="Export progress"
                      aria-valuemin={0}
                      aria-valuemax={100}
                      aria-valuenow={Math.round(row.progress * 100)}
                    >
                      <span style={{ width: `${row.progress * 100}%` }} />
                    </div>
                  ) : null}
                  {row.status}
                  {row.error ? `: ${row.error}` : ""}
                  {row.revokedAt && (
                    <div className="status-bad" data-testid="export-revoked">
                      Revoked {new Date(row.revokedAt).toLocaleDateString()}: {row.revokedReason}
                    </div>
                  )}
                  {row.supersedesId && (
                    <div className="muted" data-testid="export-supersedes">
                      supersedes {row.supersedesId}
                    </div>
                  )}
                </td>
                <td data-testid="export-contents">
                  {row.manifest?.counts && (
                    <ExportContents counts={row.manifest.counts} ratios={row.options.splits ?? null} />
                  )}
                  {row.manifest?.leftOut?.map((l) => (
                    <div key={l.reason} className="muted">
                      left out: {l.count} ({l.reason})
                    </div>
                  ))}
                </td>
                <td>
                  {row.status === "done" && !row.revokedAt && (
                    <a
                      className="button"
                      href={`/api/projects/${projectId}/exports/${row.id}/download`}
                      data-testid="export-download"
                    >
                      Download zip
                    </a>
                  )}
                  {row.revokedAt &&
                    !rows.some((other) => other.supersedesId === row.id && other.status !== "failed") && (
                      <button
                        type="button"
                        onClick={() => void rebuild(row.id)}
                        data-testid="export-rebuild"
                        title="Same options; withdrawn subjects are left out"
                      >
                        Rebuild without withdrawn subjects
                      </button>
                    )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

/** Counts, realised subjects per split, and a warning when the export or one of its splits is empty. */
function ExportContents({
  counts,
  ratios,
}: {
  counts: { images: number; hands: number; subjects: number };
  ratios: SplitRatios | null;
}) {
  const summary = exportSummary(counts, ratios);
  return (
    <>
      {plural(counts.images, "image")} · {plural(counts.hands, "hand")} · {plural(counts.subjects, "subject")}
      {summary.subjectsPerSplit && (
        <div className="muted" data-testid="export-splits">
          Subjects per split: train {summary.subjectsPerSplit.train} · val {summary.subjectsPerSplit.val} · test{" "}
          {summary.subjectsPerSplit.test}
        </div>
      )}
      {summary.warnings.map((warning) => (
        <div key={warning} className="status-warn" role="note" data-testid="export-warning">
          {warning}
        </div>
      ))}
    </>
  );
}
