"use client";

import type { TEditorState } from "@/lib/annotate/editor";

/** The selected hand's metadata and the image's flags, read-only: a reviewer sees them without entering "Fix labels". */
export function HandMetaSummary({ state }: { state: TEditorState }) {
  const index = state.selection.hand;
  const hand = index === null ? null : state.doc.hands[index];
  const attributes = hand ? Object.keys(hand.attributes).filter((name) => hand.attributes[name] === true) : [];
  const words = (value: string | null) => (value ? value.replace(/_/g, " ") : "–");
  return (
    <section className="stack" aria-label="Labels' metadata" data-testid="review-meta">
      {hand && index !== null ? (
        <dl className="meta-list">
          <dt>Hand</dt>
          <dd data-testid="review-meta-hand">
            {index + 1} of {state.doc.hands.length} · {hand.handedness}
          </dd>
          <dt>Gesture</dt>
          <dd data-testid="review-meta-gesture">{words(hand.gesture)}</dd>
          <dt>View</dt>
          <dd>{words(hand.view)}</dd>
          <dt>Interaction</dt>
          <dd>{words(hand.interaction)}</dd>
          <dt>Cut off</dt>
          <dd>{hand.truncated ? "yes" : "no"}</dd>
          <dt>Skin tone</dt>
          <dd>{hand.skinTone ? `Monk ${hand.skinTone}` : "–"}</dd>
          {attributes.length > 0 && (
            <>
              <dt>Attributes</dt>
              <dd>{attributes.map(words).join(", ")}</dd>
            </>
          )}
        </dl>
      ) : (
        <p className="muted">
          {state.doc.noHands ? "Marked: no hands in this image." : "Select a hand ([ and ]) to see its metadata."}
        </p>
      )}
      {state.doc.imageFlags.length > 0 && (
        <p className="muted">Image flags: {state.doc.imageFlags.map(words).join(", ")}</p>
      )}
    </section>
  );
}
