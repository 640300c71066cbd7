"use client";

import { useState } from "react";
import { callApi } from "@/components/forms/call-api";
import { JOINT_NAMES } from "@/lib/hand/skeleton";
import type { TDocDifference } from "@/lib/review/difference";

/** An issue as the server lists it (lib/server/review/issues.ts). */
export type TIssueView = {
  id: string;
  round: number;
  handIndex: number | null;
  jointIndex: number | null;
  message: string;
  raisedBy: string;
  resolved: boolean;
  resolvedBy: string | null;
  replies: { id: string; body: string; at: string; author: string }[];
};

/**
 * Review issues as threads. The annotator ("annotator") answers open issues; a reviewer in a later round
 * ("reviewer") replies, resolves or reopens; a manager on the image page ("viewer") reads them.
 * `postUrl` is the issues endpoint of the annotation or review.
 */
export function IssueThreads({
  issues: initial,
  postUrl,
  as,
}: {
  issues: TIssueView[];
  postUrl?: string;
  as: "annotator" | "reviewer" | "viewer";
}) {
  const [issues, setIssues] = useState(initial);
  const [drafts, setDrafts] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  if (issues.length === 0) return null;
  const open = issues.filter((issue) => !issue.resolved).length;

  async function act(issue: TIssueView, action: "reply" | "resolve" | "reopen") {
    const body = (drafts[issue.id] ?? "").trim();
    if (action === "reply" && !body) return setError("Write a reply first.");
    setBusy(true);
    setError(null);
    const payload =
      as === "annotator"
        ? { pinId: issue.id, body }
        : action === "reopen"
          ? { action, pinId: issue.id }
          : { action, pinId: issue.id, ...(body ? { body } : {}) };
    if (!postUrl) return;
    const result = await callApi<{ issue: TIssueView }>("POST", postUrl, payload);
    setBusy(false);
    if (!result.ok) return setError(result.error);
    setIssues((list) => list.map((i) => (i.id === issue.id ? result.data.issue : i)));
    setDrafts((d) => ({ ...d, [issue.id]: "" }));
  }

  return (
    <section className="stack" aria-labelledby="issues-title" data-testid="issues">
      <strong id="issues-title">
        Issues ({open} open of {issues.length})
      </strong>
      {error && (
        <div className="alert" role="alert" data-testid="issues-error">
          {error}
        </div>
      )}
      <ol className="stack" style={{ paddingLeft: 18, margin: 0 }}>
        {issues.map((issue, index) => (
          <li
            key={issue.id}
            className="stack"
            data-testid={`issue-${index}`}
            data-resolved={issue.resolved}
            style={{ gap: 4 }}
          >
            <span>
              <span className="muted">
                Round {issue.round} · {issue.raisedBy}
                {issue.handIndex !== null ? ` · hand ${issue.handIndex + 1}` : ""}
                {issue.jointIndex !== null ? ` · ${JOINT_NAMES[issue.jointIndex]}` : ""}
              </span>
              <br />
              {issue.message}{" "}
              <span className={`badge ${issue.resolved ? "status-ok" : "status-warn"}`}>
                {issue.resolved ? `resolved${issue.resolvedBy ? ` by ${issue.resolvedBy}` : ""}` : "open"}
              </span>
            </span>
            {issue.replies.length > 0 && (
              <ul style={{ margin: 0, paddingLeft: 12 }} data-testid="issue-replies">
                {issue.replies.map((reply) => (
                  <li key={reply.id}>
                    <strong>{reply.author}:</strong> {reply.body}
                  </li>
                ))}
              </ul>
            )}
            {as !== "viewer" && !issue.resolved && (
              <textarea
                rows={2}
                value={drafts[issue.id] ?? ""}
                onChange={(e) => setDrafts((d) => ({ ...d, [issue.id]: e.target.value }))}
                aria-label={`Reply to issue ${index + 1}`}
                placeholder={as === "annotator" ? "Answer the reviewer" : "Reply (optional when resolving)"}
                data-testid={`issue-reply-${index}`}
              />
            )}
            <span className="row">
              {as !== "viewer" && !issue.resolved && (
                <button
                  type="button"
                  disabled={busy}
                  onClick={() => void act(issue, "reply")}
                  data-testid={`issue-send-${index}`}
                >
                  Reply
                </button>
              )}
              {as === "reviewer" && !issue.resolved && (
                <button
                  type="button"
                  disabled={busy}
                  onClick={() => void act(issue, "resolve")}
                  data-testid={`issue-resolve-${index}`}
                >
                  Resolve
                </button>
              )}
              {as === "reviewer" && issue.resolved && (
                <button
                  type="button"
                  disabled={busy}
                  onClick={() => void act(issue, "reopen")}
                  data-testid={`issue-reopen-${index}`}
                >
                  Reopen
                </button>
              )}
            </span>
          </li>
        ))}
      </ol>
    </section>
  );
}

/** What the annotator changed since the labels were returned (round `round`), joint by joint. */
export function ChangesSinceReturn({ round, difference }: { round: number; difference: TDocDifference }) {
  const { changes, handsBefore, handsAfter } = difference;
  return (
    <section className="stack" aria-labelledby="changes-title" data-testid="changes-since-return" style={{ gap: 4 }}>
      <strong id="changes-title">Changed since round {round}</strong>
      {handsBefore !== handsAfter && (
        <span data-testid="changes-hands">
          Hands: {handsBefore} → {handsAfter}
        </span>
      )}
      {changes.length === 0 && handsBefore === handsAfter ? (
        <span className="muted">Nothing: the labels are as they were returned.</span>
      ) : (
        <ul style={{ margin: 0, paddingLeft: 16 }} data-testid="changes-list">
          {changes.map((change) => (
            <li key={`${change.hand}-${change.joint}`}>
              Hand {change.hand + 1} · {JOINT_NAMES[change.joint]}:{" "}
              {change.from !== change.to ? `${change.from} → ${change.to}` : ""}
              {change.moved !== null && change.moved > 0 ? ` moved ${change.moved.toFixed(0)} px` : ""}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
