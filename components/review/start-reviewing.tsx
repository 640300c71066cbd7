"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { callApi } from "@/components/forms/call-api";
import { FormError, FormNotice } from "@/components/forms/form-status";

export function StartReviewing({ projectId }: { projectId: string }) {
  const router = useRouter();
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  async function start() {
    const result = await callApi<{ reviewId: string | null; message?: string }>(
      "POST",
      `/api/projects/${projectId}/review/claim`,
    );
    if (!result.ok) return setError(result.error);
    if (result.data.reviewId) router.push(`/review/${result.data.reviewId}`);
    else setMessage(result.data.message ?? "Nothing to review.");
  }
  return (
    <div className="stack">
      <div>
        <button type="button" className="primary" onClick={start} data-testid="start-reviewing" autoFocus>
          Start reviewing
        </button>
      </div>
      <FormError message={error} />
      {message && <FormNotice testId="review-queue-empty">{message}</FormNotice>}
    </div>
  );
}
