"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { callApi } from "@/components/forms/call-api";
import { FormError } from "@/components/forms/form-status";

/** Adopts the recomputed sigmas for the project's OKS, or goes back to COCO-WholeBody's. */
export function SigmaAdopt({
  projectId,
  estimated,
  custom,
}: {
  projectId: string;
  estimated: number[] | null;
  custom: boolean;
}) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const send = async (sigmas: number[] | null) => {
    const result = await callApi("POST", `/api/projects/${projectId}/sigmas`, { sigmas });
    if (!result.ok) return setError(result.error);
    router.refresh();
  };
  return (
    <div className="row">
      <button
        type="button"
        className="primary"
        disabled={!estimated}
        onClick={() => void send(estimated)}
        data-testid="sigmas-adopt"
      >
        Use the project's own sigmas
      </button>
      {custom && (
        <button type="button" onClick={() => void send(null)} data-testid="sigmas-reset">
          Back to COCO-WholeBody
        </button>
      )}
      <FormError message={error} />
    </div>
  );
}
