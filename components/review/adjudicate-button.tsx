"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { callApi } from "@/components/forms/call-api";

/** Claims the review of one specific annotation from the adjudication queue. */
export function AdjudicateButton({
  projectId,
  annotationId,
  label,
}: {
  projectId: string;
  annotationId: string;
  label: string;
}) {
  const router = useRouter();
  const [message, setMessage] = useState<string | null>(null);
  return (
    <>
      <button
        type="button"
        data-testid="adjudicate"
        onClick={async () => {
          const result = await callApi<{ reviewId: string | null; message?: string }>(
            "POST",
            `/api/projects/${projectId}/review/claim`,
            { annotationId },
          );
          if (!result.ok) return setMessage(result.error);
          if (result.data.reviewId) router.push(`/review/${result.data.reviewId}`);
          else setMessage(result.data.message ?? "Not available");
        }}
      >
        {label}
      </button>
      {message && (
        <span className="muted" role="status">
          {message}
        </span>
      )}
    </>
  );
}
