"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { callApi } from "@/components/forms/call-api";
import { FormError, FormNotice } from "@/components/forms/form-status";
import { Dialog } from "@/components/ui/dialog";
import { ZWithdrawalInput } from "@/lib/consent/schema";

type TDownload = { name: string | null; email: string | null; at: string };
type TResult = {
  withdrawal: {
    images: number;
    policy: string;
    affectedExports: {
      id: string;
      createdAt: string;
      requestedBy: string | null;
      revokedAt: string | null;
      downloads: TDownload[];
    }[];
  };
};

/** Withdrawal in one action: reason and channel, then immediate effect, shown back to the manager. */
export function WithdrawButton({
  projectId,
  subjectId,
  code,
  policy,
  canWithdraw,
}: {
  projectId: string;
  subjectId: string;
  code: string;
  policy: string;
  canWithdraw: boolean;
}) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<TResult["withdrawal"] | null>(null);

  async function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const response = await callApi<TResult>("POST", `/api/projects/${projectId}/subjects/${subjectId}/withdraw`, {
      reason: form.get("reason"),
      channel: form.get("channel"),
    });
    if (!response.ok) return setError(response.error);
    setError(null);
    setResult(response.data.withdrawal);
    setOpen(false);
    router.refresh();
  }

  return (
    <div className="stack">
      {canWithdraw && (
        <Dialog
          open={open}
          onOpenChange={setOpen}
          title={`Withdraw ${code}'s consent`}
          description={`Takes effect now: every image of ${code} leaves the queues and future exports, and originals are ${policy === "purge" ? "purged" : "quarantined"} (the project's policy).`}
          trigger={
            <button type="button" className="danger" data-testid="withdraw-open">
              Withdraw consent
            </button>
          }
          testId="withdraw-dialog"
        >
          <form className="form" onSubmit={onSubmit}>
            <label>
              Reason given
              <input name="reason" required defaultValue="none given" data-testid="withdraw-reason" />
            </label>
            <label>
              Received through
              <select name="channel" defaultValue="email" data-testid="withdraw-channel">
                {ZWithdrawalInput.shape.channel.options.map((channel) => (
                  <option key={channel} value={channel}>
                    {channel.replace("_", " ")}
                  </option>
                ))}
              </select>
            </label>
            <FormError message={error} testId="withdraw-error" />
            <div>
              <button className="danger" type="submit" data-testid="withdraw-confirm">
                Withdraw now
              </button>
            </div>
          </form>
        </Dialog>
      )}
      {result && (
        <FormNotice testId="withdraw-result">
          Consent withdrawn. {result.images} image(s) {result.policy === "purge" ? "purged" : "quarantined"}.{" "}
          {result.affectedExports.length === 0 ? (
            "No earlier export contained them."
          ) : (
            <>
              Earlier exports that contained them are revoked (no longer downloadable). Tell everyone who downloaded
              them to delete their copy:
              <ul data-testid="withdraw-affected-exports">
                {result.affectedExports.map((e) => (
                  <li key={e.id} data-testid="withdraw-affected-export">
                    {e.id} ({new Date(e.createdAt).toLocaleDateString()}
                    {e.requestedBy ? `, requested by ${e.requestedBy}` : ""}):{" "}
                    {e.downloads.length === 0
                      ? "never downloaded"
                      : `downloaded by ${e.downloads.map((d) => `${d.name ?? "a deleted user"}${d.email ? ` <${d.email}>` : ""} on ${new Date(d.at).toLocaleDateString()}`).join("; ")}`}
                  </li>
                ))}
              </ul>
            </>
          )}
        </FormNotice>
      )}
    </div>
  );
}
