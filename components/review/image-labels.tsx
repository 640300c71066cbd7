"use client";

import { useMemo, useReducer, useState } from "react";
import { createEditor, dispatch as reduce, type TEditorCommand, type TEditorState } from "@/lib/annotate/editor";
import type { TAnnotationDoc } from "@/lib/annotate/schema";
import { annotationQualityFlags } from "@/lib/qc/annotation-flags";
import { AnnotationCanvas } from "@/components/annotate/annotation-canvas";
import { QualityFlags } from "@/components/annotate/quality-flags";
import { HandMetaSummary } from "./hand-meta-summary";

type TLabel = {
  id: string;
  annotator: string;
  status: string;
  source: string;
  savedAt: string;
  doc: TAnnotationDoc;
  reviews: { round: number; decision: string; comment: string; reviewer: string; decidedAt: string | null }[];
};
export type TImageLabelsProps = {
  image: { id: string; width: number; height: number };
  labels: TLabel[];
  history: { id: string; at: string; who: string; what: string; of: string; comment: string }[];
};

/** Looking, not changing: selection commands only. */
const VIEW_ONLY: ReadonlySet<TEditorCommand["type"]> = new Set([
  "selectJoint",
  "selectHand",
  "cycleHand",
  "cycleJoint",
  "clearSelection",
]);
const viewOnly = (state: TEditorState, command: TEditorCommand) =>
  VIEW_ONLY.has(command.type) || command.type === "load" ? reduce(state, command) : state;

/** The manager's view of an image's labels: each annotation's hands drawn read-only with their flags, and the labelling history. */
export function ImageLabels({ image, labels, history }: TImageLabelsProps) {
  const [shown, setShown] = useState(() =>
    Math.max(
      0,
      labels.findIndex((l) => l.status === "accepted"),
    ),
  );
  const label = labels[shown];
  const [state, send] = useReducer(viewOnly, undefined, () =>
    createEditor(image, label?.doc ?? { hands: [], noHands: false, imageFlags: [] }),
  );
  const flags = useMemo(() => annotationQualityFlags(state.doc, image).all, [state.doc, image]);
  const show = (index: number) => {
    setShown(index);
    send({ type: "load", doc: labels[index]!.doc });
  };

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
            <div
              style={{ flex: "2 1 480px", height: "60vh", display: "grid" }}
              data-testid="image-labels-canvas"
              data-doc={JSON.stringify(state.doc)}
            >
              <AnnotationCanvas
                imageId={image.id}
                imageSize={image}
                state={state}
                dispatch={send}
                problems={[]}
                viewCommand={null}
                flags={flags}
                editable={false}
              />
            </div>
            <div className="card stack" style={{ flex: "1 1 260px" }}>
              <QualityFlags flags={flags} />
              <HandMetaSummary state={state} />
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
    </section>
  );
}
