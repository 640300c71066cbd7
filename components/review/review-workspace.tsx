"use client";

import { useRouter } from "next/navigation";
import { useMemo, useReducer, useRef, useState } from "react";
import { createEditor, dispatch as reduce, type TEditorCommand } from "@/lib/annotate/editor";
import type { TAnnotationDoc } from "@/lib/annotate/schema";
import { submitProblems } from "@/lib/annotate/submit-checks";
import type { TUiAction } from "@/lib/annotate/shortcuts";
import { JOINT_NAMES } from "@/lib/hand/skeleton";
import type { TPin } from "@/lib/review/schema";
import { callApi } from "@/components/forms/call-api";
import { AnnotationCanvas, nextViewCommand, type TViewCommand } from "@/components/annotate/annotation-canvas";
import { HandMetaPanel } from "@/components/annotate/hand-meta-panel";
import { HelpDialog } from "@/components/annotate/help-dialog";
import { useDeleteHand } from "@/components/annotate/delete-hand-dialog";
import { decisionLabel } from "@/lib/review/decision-label";
import { HandMetaSummary } from "./hand-meta-summary";
import { JointPanel } from "@/components/annotate/joint-panel";
import { useShortcuts } from "@/components/annotate/use-shortcuts";
import { QualityFlags } from "@/components/annotate/quality-flags";
import { annotationQualityFlags, type THandFlag } from "@/lib/qc/annotation-flags";
import { reviewFlags } from "@/lib/qc/review-flags";
import type { TModelPrediction } from "@/lib/assist/mediapipe";
import { viewIsModelSuggested } from "@/lib/assist/proposal";
import { ChangesSinceReturn, IssueThreads, type TIssueView } from "./issue-threads";
import type { TDocDifference } from "@/lib/review/difference";

export type TReviewWorkspaceProps = {
  reviewId: string;
  annotationId: string;
  projectId: string;
  image: { id: string; width: number; height: number };
  project: { name: string; gestures: string[]; handAttributes: string[]; imageFlags: string[] };
  doc: TAnnotationDoc;
  /** Flags stored at submit: those the labels alone cannot reproduce (the rubber-stamp guard) stay shown. */
  storedFlags?: THandFlag[];
  /** The model's proposal, when the work was model-assisted: its handedness is a QC signal. */
  modelPrediction?: TModelPrediction | null;
  annotationVersion: number;
  annotator: string;
  timeSpentMs: number;
  round: number;
  earlier: { round: number; decision: string | null; comment: string; reviewer: string }[];
  /** Issues raised in earlier rounds, as threads this reviewer can resolve. */
  issues?: TIssueView[];
  /** What the annotator changed since the latest return. */
  changes?: { round: number; difference: TDocDifference } | null;
};

/** Commands a reviewer may use without switching to "fix" mode: looking, not changing. */
const VIEW_ONLY: ReadonlySet<TEditorCommand["type"]> = new Set([
  "selectJoint",
  "selectHand",
  "cycleHand",
  "cycleJoint",
  "clearSelection",
]);

/** Annotations passed over with "Next" in this browser tab, so the next claims hand out others first. */
const PASSED_KEY = "phalanx.review.passed";
function passedOver(): string[] {
  try {
    const stored = JSON.parse(sessionStorage.getItem(PASSED_KEY) ?? "[]");
    return Array.isArray(stored) ? stored.filter((id): id is string => typeof id === "string") : [];
  } catch {
    return [];
  }
}

/** The review screen: the annotation drawn as in the workspace, pins, and the three decisions. */
export function ReviewWorkspace(props: TReviewWorkspaceProps) {
  const router = useRouter();
  const [state, send] = useReducer(reduce, undefined, () => createEditor(props.image, props.doc));
  const [fixing, setFixing] = useState(false);
  const [pinMode, setPinMode] = useState(false);
  const [pins, setPins] = useState<TPin[]>([]);
  const [comment, setComment] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [helpOpen, setHelpOpen] = useState(false);
  const [viewCommand, setViewCommand] = useState<TViewCommand | null>(null);
  const [busy, setBusy] = useState(false);
  /** The accept the server refused because earlier issues are open: offered again with "resolve them all". */
  const [refusedAccept, setRefusedAccept] = useState<"accept" | "fix_and_accept" | null>(null);
  const commentBox = useRef<HTMLTextAreaElement>(null);
  const problems = useMemo(() => submitProblems(state.doc, props.image), [state.doc, props.image]);
  const { storedFlags, modelPrediction } = props;
  const flags = useMemo(
    () => reviewFlags(annotationQualityFlags(state.doc, props.image, { modelPrediction }).all, storedFlags ?? []),
    [state.doc, props.image, storedFlags, modelPrediction],
  );

  const dispatch = (command: TEditorCommand) => {
    if (pinMode && command.type === "canvasClick") {
      const { hand, joint } = state.selection;
      setPins((list) => [...list, { x: command.x, y: command.y, handIndex: hand, jointIndex: joint, message: "" }]);
      return;
    }
    if (fixing || VIEW_ONLY.has(command.type)) send(command);
  };
  const ui = (action: TUiAction) => {
    if (action === "help") setHelpOpen(true);
    else if (action === "zoomIn" || action === "zoomOut" || action === "zoomFit")
      setViewCommand(nextViewCommand(action));
    else if (action === "deleteHand" && fixing) deleteHand.ask();
    else if (action === "reviewFix") setFixing((on) => !on);
    else if (action === "reviewAccept") void decide(fixing ? "fix_and_accept" : "accept");
    else if (action === "reviewNext") void passOn();
    else if (action === "reviewReturn") {
      if (comment.trim()) void decide("reject");
      else {
        setError("Write what to fix in the comment first, then return it (Ctrl+Shift+Enter).");
        commentBox.current?.focus();
      }
    }
  };
  const deleteHand = useDeleteHand(state, dispatch);
  useShortcuts({
    dispatch,
    ui,
    scope: "review",
    disabled: busy || helpOpen || deleteHand.asking,
    selection: state.selection,
  });

  /** "Next": release this review undecided and open another one, never one passed over in this sitting. */
  async function passOn() {
    if (busy) return;
    setBusy(true);
    const released = await callApi("POST", `/api/reviews/${props.reviewId}/release`);
    if (!released.ok) {
      setBusy(false);
      return setError(released.error);
    }
    const skip = [...passedOver(), props.annotationId].slice(-200);
    sessionStorage.setItem(PASSED_KEY, JSON.stringify(skip));
    const next = await callApi<{ reviewId: string | null }>("POST", `/api/projects/${props.projectId}/review/claim`, {
      skip,
    });
    if (next.ok && next.data.reviewId) router.push(`/review/${next.data.reviewId}`);
    else router.push(`/projects/${props.projectId}/review?finished=1`);
  }

  async function decide(decision: "accept" | "reject" | "fix_and_accept", resolveOpenIssues = false) {
    if (busy) return;
    setRefusedAccept(null);
    if (decision === "fix_and_accept" && problems.length > 0)
      return setError(`Your fix is not complete: ${problems.map((p) => p.message).join("; ")}`);
    setBusy(true);
    const body =
      decision === "reject"
        ? { decision, version: props.annotationVersion, comment, pins }
        : decision === "fix_and_accept"
          ? { decision, version: props.annotationVersion, comment, doc: state.doc, resolveOpenIssues }
          : { decision, version: props.annotationVersion, comment, resolveOpenIssues };
    const result = await callApi("POST", `/api/reviews/${props.reviewId}/decide`, body);
    if (!result.ok) {
      setBusy(false);
      if (decision !== "reject" && result.fields.openIssues) {
        setRefusedAccept(decision);
        return setError(result.error);
      }
      return setError(
        result.error +
          (Object.keys(result.fields).length
            ? ` (${Object.entries(result.fields)
                .map(([k, v]) => `${k}: ${v}`)
                .join("; ")})`
            : ""),
      );
    }
    const skip = passedOver();
    const next = await callApi<{ reviewId: string | null }>(
      "POST",
      `/api/projects/${props.projectId}/review/claim`,
      skip.length ? { skip } : undefined,
    );
    if (next.ok && next.data.reviewId) router.push(`/review/${next.data.reviewId}`);
    else router.push(`/projects/${props.projectId}/review?finished=1`);
  }

  return (
    <div
      className="workspace"
      data-testid="review-workspace"
      data-doc={JSON.stringify(state.doc)}
      data-selection={JSON.stringify(state.selection)}
      data-pins={JSON.stringify(pins)}
    >
      <header className="workspace-bar">
        <a href={`/projects/${props.projectId}/review`} className="muted">
          ← {props.project.name}
        </a>
        <span className="muted" data-testid="review-info">
          By {props.annotator} · {Math.round(props.timeSpentMs / 1000)} s active · round {props.round}
        </span>
        <span className="row">
          <button
            type="button"
            aria-pressed={fixing}
            onClick={() => setFixing((on) => !on)}
            data-testid="review-fix-mode"
            title="F"
          >
            {fixing ? "Editing labels" : "Fix labels"}
          </button>
          <button type="button" onClick={() => setHelpOpen(true)}>
            Shortcuts (?)
          </button>
        </span>
        <span className="row">
          <button
            type="button"
            onClick={() => void passOn()}
            disabled={busy}
            title="J: leave this one undecided for another reviewer"
            data-testid="review-next"
            aria-keyshortcuts="J"
          >
            Next (undecided)
          </button>
          <button
            type="button"
            onClick={() => void decide("reject")}
            disabled={busy || !comment.trim()}
            title={comment.trim() ? "" : "Write what to fix first"}
            data-testid="review-reject"
            aria-keyshortcuts="Control+Shift+Enter"
          >
            Return to annotator
          </button>
          {fixing ? (
            <button
              type="button"
              className="primary"
              onClick={() => void decide("fix_and_accept")}
              disabled={busy || problems.length > 0}
              data-testid="review-fix-accept"
            >
              Accept my fix
            </button>
          ) : (
            <button
              type="button"
              className="primary"
              onClick={() => void decide("accept")}
              disabled={busy}
              data-testid="review-accept"
            >
              Accept
            </button>
          )}
        </span>
      </header>
      <div className="workspace-body">
        <JointPanel state={state} dispatch={dispatch} editable={fixing} />
        <AnnotationCanvas
          imageId={props.image.id}
          imageSize={props.image}
          state={state}
          dispatch={dispatch}
          problems={[]}
          viewCommand={viewCommand}
          pins={pins}
          flags={flags}
          editable={fixing}
        >
          {error && (
            <div className="alert" role="alert" data-testid="review-error">
              {error}
              {refusedAccept && (
                <button
                  type="button"
                  onClick={() => void decide(refusedAccept, true)}
                  disabled={busy}
                  data-testid="review-resolve-accept"
                  style={{ marginLeft: 8 }}
                >
                  Resolve all and accept
                </button>
              )}
            </div>
          )}
        </AnnotationCanvas>
        <aside className="annotate-panel" aria-label="Review">
          {props.changes && <ChangesSinceReturn {...props.changes} />}
          {props.issues && props.issues.length > 0 && (
            <IssueThreads issues={props.issues} postUrl={`/api/reviews/${props.reviewId}/issues`} as="reviewer" />
          )}
          <QualityFlags flags={flags} />
          <strong>Comment for the annotator</strong>
          <textarea
            ref={commentBox}
            value={comment}
            onChange={(e) => setComment(e.target.value)}
            rows={3}
            placeholder="What to fix (required to return)"
            aria-label="Comment for the annotator"
            data-testid="review-comment"
          />
          <div className="row" style={{ justifyContent: "space-between" }}>
            <strong>Pins ({pins.length})</strong>
            <button
              type="button"
              aria-pressed={pinMode}
              onClick={() => setPinMode((on) => !on)}
              data-testid="review-pin-mode"
            >
              {pinMode ? "Placing pins: click the image" : "Add pins"}
            </button>
          </div>
          {pins.length === 0 && (
            <p className="muted">
              Add pins, then click the image where something is wrong. A selected joint is attached to the pin.
            </p>
          )}
          <ol data-testid="review-pins">
            {pins.map((pin, index) => (
              <li key={index} className="stack">
                <span className="muted">
                  {pin.handIndex !== null ? `Hand ${pin.handIndex + 1}` : "Image"}
                  {pin.jointIndex !== null ? ` · ${JOINT_NAMES[pin.jointIndex]}` : ""}
                </span>
                <input
                  value={pin.message}
                  placeholder="Message"
                  autoFocus={index === pins.length - 1}
                  onChange={(e) =>
                    setPins((list) => list.map((p, i) => (i === index ? { ...p, message: e.target.value } : p)))
                  }
                  data-testid={`review-pin-message-${index}`}
                />
                <button type="button" onClick={() => setPins((list) => list.filter((_, i) => i !== index))}>
                  Remove
                </button>
              </li>
            ))}
          </ol>
          {props.earlier.length > 0 && (
            <>
              <strong>Earlier rounds</strong>
              <ul data-testid="review-earlier">
                {props.earlier.map((r) => (
                  <li key={r.round}>
                    Round {r.round}: {decisionLabel(r.decision)} by {r.reviewer}
                    {r.comment ? ` — “${r.comment}”` : ""}
                  </li>
                ))}
              </ul>
            </>
          )}
          {!fixing && <HandMetaSummary state={state} />}
          {fixing && (
            <HandMetaPanel
              state={state}
              dispatch={dispatch}
              gestures={props.project.gestures}
              handAttributes={props.project.handAttributes}
              imageFlags={props.project.imageFlags}
              viewSuggested={(hand) => viewIsModelSuggested(hand, modelPrediction ?? null)}
              onDeleteHand={deleteHand.ask}
            />
          )}
        </aside>
      </div>
      <HelpDialog open={helpOpen} onOpenChange={setHelpOpen} scope="review" />
      {deleteHand.dialog}
    </div>
  );
}
