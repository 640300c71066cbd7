"use client";

import { useRouter } from "next/navigation";
import { useMemo, useReducer, useState } from "react";
import { createEditor, dispatch as reduce, type TEditorCommand } from "@/lib/annotate/editor";
import type { TAnnotationDoc } from "@/lib/annotate/schema";
import { submitProblems } from "@/lib/annotate/submit-checks";
import type { TUiAction } from "@/lib/annotate/shortcuts";
import { annotationQualityFlags } from "@/lib/qc/annotation-flags";
import { callApi } from "@/components/forms/call-api";
import { AnnotationCanvas, nextViewCommand, type TViewCommand } from "@/components/annotate/annotation-canvas";
import { useDeleteHand } from "@/components/annotate/delete-hand-dialog";
import { HandMetaPanel } from "@/components/annotate/hand-meta-panel";
import { JointPanel } from "@/components/annotate/joint-panel";
import { QualityFlags } from "@/components/annotate/quality-flags";
import { useShortcuts } from "@/components/annotate/use-shortcuts";
import { HandMetaSummary } from "./hand-meta-summary";
import { IssueThreads, type TIssueView } from "./issue-threads";

type TLabel = {
  id: string;
  annotator: string;
  status: string;
  source: string;
  version: number;
  savedAt: string;
  doc: TAnnotationDoc;
  issues: TIssueView[];
  reviews: { round: number; decision: string; comment: string; reviewer: string; decidedAt: string | null }[];
};
export type TImageLabelsProps = {
  projectId: string;
  image: { id: string; width: number; height: number };
  project: { gestures: string[]; handAttributes: string[]; imageFlags: string[] };
  labels: TLabel[];
  history: { id: string; at: string; who: string; what: string; of: string; comment: string }[];
  /** Open this annotation first, and in fix mode when `fix` (the labels browser's "Fix" link). */
  initial?: { annotationId: string | null; fix: boolean };
};

/** Looking, not changing: selection commands only (outside fix mode). */
const VIEW_ONLY: ReadonlySet<TEditorCommand["type"]> = new Set([
  "selectJoint",
  "selectHand",
  "cycleHand",
  "cycleJoint",
  "clearSelection",
]);

/**
 * The manager's view of an image's labels: each annotation's hands drawn with their flags, its review
 * issues and the labelling history. Accepted labels open in fix mode on request; the correction is saved as
 * a review round of the manager's (POST /api/projects/{id}/corrections).
 */
export function ImageLabels({ projectId, image, project, labels, history, initial }: TImageLabelsProps) {
  const router = useRouter();
  const [shown, setShown] = useState(() => {
    const requested = labels.findIndex((l) => l.id === initial?.annotationId);
    return requested >= 0
      ? requested
      : Math.max(
          0,
          labels.findIndex((l) => l.status === "accepted"),
        );
  });
  const label = labels[shown];
  const [state, send] = useReducer(reduce, undefined, () =>
    createEditor(image, label?.doc ?? { hands: [], noHands: false, imageFlags: [] }),
  );
  const [fixing, setFixing] = useState(() => !!initial?.fix && label?.status === "accepted");
  const [comment, setComment] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [viewCommand, setViewCommand] = useState<TViewCommand | null>(null);
  const flags = useMemo(() => annotationQualityFlags(state.doc, image).all, [state.doc, image]);
  const problems = useMemo(() => submitProblems(state.doc, image), [state.doc, image]);
  const dispatch = (command: TEditorCommand) => {
    if (fixing || VIEW_ONLY.has(command.type)) send(command);
  };
  const deleteHand = useDeleteHand(state, dispatch);
  const ui = (action: TUiAction) => {
    if (action === "zoomIn" || action === "zoomOut" || action === "zoomFit") setViewCommand(nextViewCommand(action));
    else if (action === "deleteHand") deleteHand.ask();
  };
  useShortcuts({
    dispatch,
    ui,
    scope: "annotate",
    disabled: !fixing || busy || deleteHand.asking,
    selection: state.selection,
  });

  const show = (index: number) => {
    setShown(index);
    setFixing(false);
    setError(null);
    send({ type: "load", doc: labels[index]!.doc });
  };
  const stopFixing = () => {
    setFixing(false);
    setError(null);
    if (label) send({ type: "load", doc: label.doc });
  };
  async function saveCorrection() {
    if (!label || busy) return;
    if (problems.length) return setError(`The fix is not complete: ${problems.map((p) => p.message).join("; ")}`);
    setBusy(true);
    const result = await callApi("POST", `/api/projects/${projectId}/corrections`, {
      annotationId: label.id,
      version: label.version,
      comment,
      doc: state.doc,
    });
    setBusy(false);
    if (!result.ok) return setError(result.error);
    setFixing(false);
    setComment("");
    setError(null);
    router.refresh();
  }

  return (
    <section className="stack" aria-labelledby="image-labels-title" data-testid="image-labels">
      <h2 id="image-labels-title" style={{ marginBottom: 0 }}>
        Labels
      </h2>
      {labels.length === 0 ? (
        <p className="empty">Nobody has labelled this image yet. It is handed out from the annotation queue.</p>
      ) : (
        <>
          <div className="row" role="group" aria-label="Whose labels to show">
            {labels.map((l, index) => (
              <button
                key={l.id}
                type="button"
                aria-pressed={index === shown}
                onClick={() => show(index)}
                data-testid={`image-label-${index}`}
              >
                {l.annotator} · {l.status}
                {l.source !== "manual" ? ` · ${l.source.replace(/_/g, " ")}` : ""}
              </button>
            ))}
          </div>
          <div className="row" style={{ alignItems: "stretch" }}>
            {fixing && <JointPanel state={state} dispatch={dispatch} />}
            <div
              style={{ flex: "2 1 480px", height: "60vh", display: "grid" }}
              data-testid="image-labels-canvas"
              data-doc={JSON.stringify(state.doc)}
            >
              <AnnotationCanvas
                imageId={image.id}
                imageSize={image}
                state={state}
                dispatch={dispatch}
                problems={[]}
                viewCommand={viewCommand}
                flags={flags}
                editable={fixing}
              >
                {error && (
                  <div className="alert" role="alert" data-testid="image-labels-error">
                    {error}
                  </div>
                )}
              </AnnotationCanvas>
            </div>
            <div className="card stack" style={{ flex: "1 1 260px" }}>
              {label?.status === "accepted" && (
                <div className="row">
                  {fixing ? (
                    <>
                      <button
                        type="button"
                        className="primary"
                        onClick={() => void saveCorrection()}
                        disabled={busy || problems.length > 0}
                        title={problems.length ? problems.map((p) => p.message).join("; ") : ""}
                        data-testid="image-labels-save-fix"
                      >
                        Save correction
                      </button>
                      <button type="button" onClick={stopFixing} disabled={busy}>
                        Cancel
                      </button>
                    </>
                  ) : (
                    <button type="button" onClick={() => setFixing(true)} data-testid="image-labels-fix">
                      Fix labels
                    </button>
                  )}
                </div>
              )}
              {fixing && (
                <>
                  <p className="muted" style={{ margin: 0 }}>
                    Drag joints or select one and click where it belongs. The correction is recorded as a review round
                    of yours; the annotator&apos;s version stays in the history.
                  </p>
                  <textarea
                    rows={2}
                    value={comment}
                    onChange={(e) => setComment(e.target.value)}
                    placeholder="What you corrected (optional)"
                    aria-label="What you corrected"
                    data-testid="image-labels-fix-comment"
                  />
                </>
              )}
              <QualityFlags flags={flags} />
              {fixing ? (
                <HandMetaPanel
                  state={state}
                  dispatch={dispatch}
                  gestures={project.gestures}
                  handAttributes={project.handAttributes}
                  imageFlags={project.imageFlags}
                  onDeleteHand={deleteHand.ask}
                />
              ) : (
                <HandMetaSummary state={state} />
              )}
              {label && label.issues.length > 0 && <IssueThreads key={label.id} issues={label.issues} as="viewer" />}
              {label && label.reviews.length > 0 && (
                <ul data-testid="image-label-reviews">
                  {label.reviews.map((r) => (
                    <li key={r.round}>
                      Round {r.round}: {r.decision} by {r.reviewer}
                      {r.comment ? ` — “${r.comment}”` : ""}
                    </li>
                  ))}
                </ul>
              )}
            </div>
          </div>
        </>
      )}
      <h3>Labelling history</h3>
      {history.length === 0 ? (
        <p className="muted">No labelling work on this image yet.</p>
      ) : (
        <table data-testid="image-label-history">
          <thead>
            <tr>
              <th>When</th>
              <th>Who</th>
              <th>What</th>
              <th>Labels of</th>
              <th>Comment</th>
            </tr>
          </thead>
          <tbody>
            {history.map((event) => (
              <tr key={event.id}>
                <td>{new Date(event.at).toLocaleString()}</td>
                <td>{event.who}</td>
                <td>{event.what}</td>
                <td>{event.of}</td>
                <td>{event.comment}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {deleteHand.dialog}
    </section>
  );
}
