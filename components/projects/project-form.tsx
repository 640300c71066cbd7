"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { callApi } from "@/components/forms/call-api";
import { FieldError, FormError, FormNotice } from "@/components/forms/form-status";
import type { TProjectSettings } from "@/lib/project/schema";

const listToText = (list: string[]) => list.join("\n");
const textToList = (text: FormDataEntryValue | null) =>
  String(text ?? "")
    .split(/[\n,]/)
    .map((entry) => entry.trim())
    .filter(Boolean);

/** Creates a project (no `projectId`) or edits its settings. The server validates with ZProjectSettings. */
export function ProjectForm({ projectId, initial }: { projectId?: string; initial: TProjectSettings }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [fields, setFields] = useState<Record<string, string>>({});
  const [saved, setSaved] = useState(false);
  const [pending, setPending] = useState(false);

  async function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const body = {
      name: form.get("name"),
      description: form.get("description"),
      gestures: textToList(form.get("gestures")),
      handAttributes: textToList(form.get("handAttributes")),
      imageFlags: textToList(form.get("imageFlags")),
      annotationsPerImage: Number(form.get("annotationsPerImage")),
      reviewSampleRate: Number(form.get("reviewSamplePercent")) / 100,
      retentionDays: Number(form.get("retentionDays")),
      withdrawalPolicy: form.get("withdrawalPolicy"),
      leaseMinutes: Number(form.get("leaseMinutes")),
    };
    setPending(true);
    setSaved(false);
    const result = projectId
      ? await callApi("PATCH", `/api/projects/${projectId}`, body)
      : await callApi<{ project: { id: string } }>("POST", "/api/projects", body);
    setPending(false);
    if (!result.ok) {
      setError(result.error);
      setFields(result.fields);
      return;
    }
    setError(null);
    setFields({});
    if (projectId) {
      setSaved(true);
      router.refresh();
    } else {
      router.push(`/projects/${(result.data as { project: { id: string } }).project.id}/members`);
    }
  }

  const field = (name: string) => ({
    name,
    "aria-invalid": fields[name] ? true : undefined,
    "aria-describedby": fields[name] ? `${name}-error` : undefined,
    "data-testid": `project-${name}`,
  });

  return (
    <form className="form" onSubmit={onSubmit} noValidate aria-label={projectId ? "Project settings" : "New project"}>
      <label>
        Name
        <input {...field("name")} defaultValue={initial.name} required maxLength={120} />
      </label>
      <FieldError id="name-error" message={fields.name} />
      <label>
        Description
        <textarea {...field("description")} defaultValue={initial.description} rows={3} />
      </label>
      <label>
        Gesture classes (one per line)
        <textarea {...field("gestures")} defaultValue={listToText(initial.gestures)} rows={6} />
      </label>
      <FieldError id="gestures-error" message={fields.gestures} />
      <label>
        Hand attributes (one per line)
        <textarea {...field("handAttributes")} defaultValue={listToText(initial.handAttributes)} rows={3} />
      </label>
      <label>
        Image flags (one per line)
        <textarea {...field("imageFlags")} defaultValue={listToText(initial.imageFlags)} rows={3} />
      </label>
      <div className="row">
        <label>
          Annotations per image
          <input
            {...field("annotationsPerImage")}
            type="number"
            min={1}
            max={10}
            defaultValue={initial.annotationsPerImage}
          />
        </label>
        <label>
          Review sample (%)
          <input
            {...field("reviewSamplePercent")}
            type="number"
            min={0}
            max={100}
            defaultValue={Math.round(initial.reviewSampleRate * 100)}
          />
        </label>
        <label>
          Claim lease (minutes)
          <input {...field("leaseMinutes")} type="number" min={1} max={1440} defaultValue={initial.leaseMinutes} />
        </label>
      </div>
      <FieldError
        id="annotationsPerImage-error"
        message={fields.annotationsPerImage ?? fields.reviewSampleRate ?? fields.leaseMinutes}
      />
      <div className="row">
        <label>
          Consent retention (days, at most 1095)
          <input {...field("retentionDays")} type="number" min={1} max={1095} defaultValue={initial.retentionDays} />
        </label>
        <label>
          On withdrawal, originals are
          <select {...field("withdrawalPolicy")} defaultValue={initial.withdrawalPolicy}>
            <option value="purge">purged</option>
            <option value="quarantine">quarantined</option>
          </select>
        </label>
      </div>
      <FieldError id="retentionDays-error" message={fields.retentionDays} />
      <FormError message={error} testId="project-error" />
      {saved && <FormNotice testId="project-saved">Settings saved.</FormNotice>}
      <div className="row">
        <button className="primary" type="submit" disabled={pending} data-testid="project-submit">
          {pending ? "Saving…" : projectId ? "Save settings" : "Create project"}
        </button>
      </div>
    </form>
  );
}
