"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { callApi } from "@/components/forms/call-api";
import { FormError, FormNotice } from "@/components/forms/form-status";
import {
  AGE_BANDS,
  DOMINANT_HANDS,
  FITZPATRICK_TYPES,
  OCCUPATION_GROUPS,
  type TSubjectInput,
} from "@/lib/subjects/schema";
import { MonkScaleInput } from "./monk-scale-input";

/** The stored subject as the form shows it (values as read from the database). */
type TSubject = { id: string; code: string } & {
  [K in keyof TSubjectInput]?: K extends "monkSkinTone" ? number | null : string | null;
};

function Select({
  name,
  label,
  options,
  value,
}: {
  name: string;
  label: string;
  options: readonly string[];
  value?: string | null;
}) {
  return (
    <label>
      {label}
      <select name={name} defaultValue={value ?? ""} data-testid={`subject-${name}`}>
        <option value="">Not given</option>
        {options.map((option) => (
          <option key={option} value={option}>
            {option.replace(/_/g, " ")}
          </option>
        ))}
      </select>
    </label>
  );
}

/** Creates a subject (a code is assigned) or edits their self-reported demographics. */
export function SubjectForm({ projectId, subject }: { projectId: string; subject?: TSubject }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);

  async function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const tone = String(form.get("monkSkinTone") ?? "");
    const body = {
      ageBand: form.get("ageBand"),
      sexOrGender: form.get("sexOrGender"),
      fitzpatrick: form.get("fitzpatrick"),
      dominantHand: form.get("dominantHand"),
      occupationGroup: form.get("occupationGroup"),
      notes: form.get("notes"),
      monkSkinTone: tone ? Number(tone) : null,
    };
    const result = subject?.id
      ? await callApi("PATCH", `/api/projects/${projectId}/subjects/${subject.id}`, body)
      : await callApi<{ subject: { id: string } }>("POST", `/api/projects/${projectId}/subjects`, body);
    if (!result.ok) return setError(result.error);
    setError(null);
    if (subject?.id) {
      setSaved(true);
      router.refresh();
    } else {
      router.push(`/projects/${projectId}/subjects/${(result.data as { subject: { id: string } }).subject.id}`);
    }
  }

  return (
    <form className="form" onSubmit={onSubmit} aria-label={subject?.id ? `Edit ${subject.code}` : "New subject"}>
      <p className="muted">Self-reported only; every field is optional. Only managers ever see these answers.</p>
      <div className="row">
        <Select name="ageBand" label="Age band" options={AGE_BANDS} value={subject?.ageBand} />
        <label>
          Sex or gender (as described)
          <input
            name="sexOrGender"
            defaultValue={subject?.sexOrGender ?? ""}
            maxLength={60}
            data-testid="subject-sexOrGender"
          />
        </label>
      </div>
      <MonkScaleInput
        name="monkSkinTone"
        legend="Skin tone (Monk Skin Tone scale)"
        defaultValue={subject?.monkSkinTone}
      />
      <div className="row">
        <Select
          name="fitzpatrick"
          label="Fitzpatrick (optional)"
          options={FITZPATRICK_TYPES}
          value={subject?.fitzpatrick}
        />
        <Select name="dominantHand" label="Dominant hand" options={DOMINANT_HANDS} value={subject?.dominantHand} />
        <Select
          name="occupationGroup"
          label="Occupation group"
          options={OCCUPATION_GROUPS}
          value={subject?.occupationGroup}
        />
      </div>
      <label>
        Notes (no names or contact details)
        <textarea name="notes" rows={2} defaultValue={subject?.notes ?? ""} data-testid="subject-notes" />
      </label>
      <FormError message={error} testId="subject-error" />
      {saved && <FormNotice testId="subject-saved">Saved.</FormNotice>}
      <div>
        <button className="primary" type="submit" data-testid="subject-submit">
          {subject?.id ? "Save" : "Create subject"}
        </button>
      </div>
    </form>
  );
}
