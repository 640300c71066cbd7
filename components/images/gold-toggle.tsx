"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { callApi } from "@/components/forms/call-api";

/** Marks an accepted annotation as the image's gold labels (or removes the mark). */
export function GoldToggle({
  projectId,
  annotationId,
  isGold,
}: {
  projectId: string;
  annotationId: string;
  isGold: boolean;
}) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  return (
    <>
      <button
        type="button"
        aria-pressed={isGold}
        data-testid="gold-toggle"
        onClick={async () => {
          const result = await callApi("POST", `/api/projects/${projectId}/gold`, { annotationId, isGold: !isGold });
          if (!result.ok) return setError(result.error);
          router.refresh();
        }}
      >
        {isGold ? "Gold ✓ (remove)" : "Mark as gold"}
      </button>
      {error && (
        <span className="status-bad" role="alert">
          {error}
        </span>
      )}
    </>
  );
}
