"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { FormError, FormNotice } from "@/components/forms/form-status";
import { SCOPE_LABELS, type TConsentScope } from "@/lib/consent/schema";

type TText = { id: string; version: string; scopes: TConsentScope[] };

/**
 * Records a signed consent (or a correction of the record in force) with the signed form attached.
 * Sent as multipart: the record as JSON plus the file.
 */
export function ConsentRecordForm({
  projectId,
  subjectId,
  texts,
  correcting,
}: {
  projectId: string;
  subjectId: string;
  texts: TText[];
  correcting?: string | null;
}) {
  const router = useRouter();
  const [textId, setTextId] = useState(texts[0]?.id ?? "");
  const [isMinor, setIsMinor] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const [pending, setPending] = useState(false);
  const text = texts.find((t) => t.id === textId);

  if (texts.length === 0) {
    return (
      <div className="empty" data-testid="consent-no-texts">
        Add a consent text version first (Consent texts tab): a record must name the exact text that was signed.
      </div>
    );
  }

  async function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    const record = {
      consentTextId: textId,
      scopes: form.getAll("scopes"),
      biometricNoticeAcknowledged: form.get("biometricNoticeAcknowledged") === "on",
      signedAt: form.get("signedAt"),
      jurisdiction: form.get("jurisdiction"),
      isMinor,
      guardianName: isMinor ? form.get("guardianName") : undefined,
      guardianRelation: isMinor ? form.get("guardianRelation") : undefined,
      retentionUntil: form.get("retentionUntil") || undefined,
      supersedesId: form.get("correction") === "on" && correcting ? correcting : undefined,
    };
    const body = new FormData();
    body.set("record", JSON.stringify(record));
    const file = form.get("form");
    if (file instanceof File && file.size > 0) body.set("form", file);
    setPending(true);
    const response = await fetch(`/api/projects/${projectId}/subjects/${subjectId}/consent`, {
      method: "POST",
      body,
    }).catch(() => null);
    setPending(false);
    if (!response) return setError("The server could not be reached. Nothing was saved.");
    const json = await response.json().catch(() => ({}));
    if (!response.ok)
      return setError(
        `${json.error ?? `The server answered ${response.status}`}${
          json.fields
            ? ` (${Object.entries(json.fields)
                .map(([k, v]) => `${k}: ${v}`)
                .join("; ")})`
            : ""
        }`,
      );
    setError(null);
    setDone(true);
    formElement.reset();
    router.refresh();
  }

  const today = new Date().toISOString().slice(0, 10);
  return (
    <form className="form" onSubmit={onSubmit} aria-label="Record consent">
      <label>
        Consent text signed
        <select value={textId} onChange={(e) => setTextId(e.target.value)} data-testid="consent-text">
          {texts.map((t) => (
            <option key={t.id} value={t.id}>
              {t.version}
            </option>
          ))}
        </select>
      </label>
      <fieldset className="stack" style={{ border: 0, padding: 0 }}>
        <legend className="muted">Scopes granted</legend>
        {text?.scopes.map((scope) => (
          <label key={`${textId}-${scope}`} className="inline">
            <input type="checkbox" name="scopes" value={scope} defaultChecked data-testid={`consent-scope-${scope}`} />
            {SCOPE_LABELS[scope]}
          </label>
        ))}
      </fieldset>
      <label className="inline">
        <input type="checkbox" name="biometricNoticeAcknowledged" data-testid="consent-biometric" /> The subject
        acknowledged the biometric notice
      </label>
      <div className="row">
        <label>
          Signed on
          <input
            type="date"
            name="signedAt"
            defaultValue={today}
            max={today}
            required
            data-testid="consent-signed-at"
          />
        </label>
        <label>
          Jurisdiction
          <input name="jurisdiction" required placeholder="EU, US-IL, …" data-testid="consent-jurisdiction" />
        </label>
        <label>
          Keep until (optional)
          <input type="date" name="retentionUntil" data-testid="consent-retention" />
        </label>
      </div>
      <label className="inline">
        <input
          type="checkbox"
          checked={isMinor}
          onChange={(e) => setIsMinor(e.target.checked)}
          data-testid="consent-minor"
        />{" "}
        The subject is a minor
      </label>
      {isMinor && (
        <div className="row">
          <label>
            Guardian's name
            <input name="guardianName" required data-testid="consent-guardian-name" />
          </label>
          <label>
            Relation
            <input
              name="guardianRelation"
              required
              placeholder="parent, legal guardian"
              data-testid="consent-guardian-relation"
            />
          </label>
        </div>
      )}
      <label>
        Signed form (PDF, JPEG or PNG; stored privately)
        <input type="file" name="form" accept="application/pdf,image/jpeg,image/png" data-testid="consent-form-file" />
      </label>
      {correcting && (
        <label className="inline">
          <input type="checkbox" name="correction" data-testid="consent-correction" /> This corrects the record in force
          (it stays in the history)
        </label>
      )}
      <FormError message={error} testId="consent-error" />
      {done && <FormNotice testId="consent-saved">Consent recorded.</FormNotice>}
      <div>
        <button className="primary" type="submit" disabled={pending} data-testid="consent-submit">
          {pending ? "Saving…" : "Record consent"}
        </button>
      </div>
    </form>
  );
}
