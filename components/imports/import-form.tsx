"use client";

import { useId, useState } from "react";
import { FormError, FormNotice } from "@/components/forms/form-status";

type TReport = { imported: number; hands: number; invalid: { annotationId: number | null; reason: string }[] };

/** Uploads a COCO keypoints file to the import API and shows its report (what came in, what was refused and why). */
export function ImportForm({ projectId }: { projectId: string }) {
  const id = useId();
  const [report, setReport] = useState<TReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  async function submit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const file = form.get("file");
    if (!(file instanceof File) || file.size === 0) return setError("Choose a COCO keypoints JSON file first.");
    setPending(true);
    setError(null);
    setReport(null);
    const query = new URLSearchParams({ as: String(form.get("as")) });
    if (form.get("skipInvalid") === "on") query.set("skipInvalid", "1");
    const body = new FormData();
    body.set("file", file);
    try {
      const response = await fetch(`/api/projects/${projectId}/imports?${query}`, { method: "POST", body });
      const json = await response.json().catch(() => ({}));
      if (!response.ok) setError(json.error ?? `The server answered ${response.status}`);
      else setReport(json.report);
    } catch {
      setError("The server could not be reached. Check your connection and try again.");
    } finally {
      setPending(false);
    }
  }
  return (
    <form className="stack card" onSubmit={submit} aria-label="Import labels" data-testid="import-form">
      <label htmlFor={`${id}-file`}>COCO keypoints file (.json)</label>
      <input id={`${id}-file`} name="file" type="file" accept=".json,application/json" data-testid="import-file" />
      <fieldset className="stack">
        <legend>Import as</legend>
        <label className="inline">
          <input type="radio" name="as" value="accepted" defaultChecked data-testid="import-as-accepted" />
          Accepted labels (they go straight into the dataset)
        </label>
        <label className="inline">
          <input type="radio" name="as" value="pre-annotations" data-testid="import-as-pre" />
          Pre-annotations (annotators start from them and correct them)
        </label>
      </fieldset>
      <label className="inline">
        <input type="checkbox" name="skipInvalid" data-testid="import-skip-invalid" />
        Import the valid annotations even if some are invalid (otherwise nothing is imported)
      </label>
      <div>
        <button type="submit" className="primary" disabled={pending} data-testid="import-submit">
          {pending ? "Importing…" : "Import"}
        </button>
      </div>
      <FormError message={error} testId="import-error" />
      {report && (
        <FormNotice testId="import-report">
          Imported {report.imported} image label{report.imported === 1 ? "" : "s"} with {report.hands} hand
          {report.hands === 1 ? "" : "s"}.
          {report.invalid.length > 0 && (
            <>
              {" "}
              {report.invalid.length} refused:
              <ul data-testid="import-invalid">
                {report.invalid.slice(0, 50).map((problem, index) => (
                  <li key={index}>
                    {problem.annotationId !== null ? `annotation ${problem.annotationId}: ` : ""}
                    {problem.reason}
                  </li>
                ))}
              </ul>
            </>
          )}
        </FormNotice>
      )}
    </form>
  );
}
