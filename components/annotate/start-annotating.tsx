"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { callApi } from "@/components/forms/call-api";
import { FormError, FormNotice } from "@/components/forms/form-status";

/** Claims the next image (or resumes the held one) and opens the workspace. */
export function StartAnnotating({ projectId }: { projectId: string }) {
  const router = useRouter();
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  async function start() {
    setPending(true);
    const result = await callApi<{ annotationId: string | null; message?: string }>(
      "POST",
      `/api/projects/${projectId}/queue/claim`,
    );
    setPending(false);
    if (!result.ok) return setError(result.error);
    if (result.data.annotationId) router.push(`/annotate/${result.data.annotationId}`);
    else setMessage(result.data.message ?? "No image is waiting for you.");
  }
  return (
    <div className="stack">
      <div>
        <button
          type="button"
          className="primary"
          onClick={start}
          disabled={pending}
          data-testid="start-annotating"
          autoFocus
        >
          {pending ? "Claiming…" : "Start annotating"}
        </button>
      </div>
      <FormError message={error} />
      {message && <FormNotice testId="queue-empty">{message}</FormNotice>}
    </div>
  );
}
