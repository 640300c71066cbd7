"use client";

import type { TEditorCommand, TEditorState } from "@/lib/annotate/editor";
import { ZHandInteraction, ZHandView, type THand } from "@/lib/hand/schema";
import { MONK_SKIN_TONES } from "@/lib/hand/skin-tone";
import { shortcutHint } from "@/lib/annotate/shortcuts";

/** Per-hand and per-image metadata, every control a native, keyboard-reachable one. */
export function HandMetaPanel({
  state,
  dispatch,
  gestures,
  handAttributes,
  imageFlags,
  viewSuggested,
  onDeleteHand,
}: {
  state: TEditorState;
  dispatch: (command: TEditorCommand) => void;
  gestures: readonly string[];
  handAttributes: readonly string[];
  imageFlags: readonly string[];
  /** Whether this hand's view is still the model's suggestion (lib/assist/proposal.ts viewIsModelSuggested). */
  /** Whether the hand's view is still the model's suggestion (workspace and review; absent elsewhere). */
  viewSuggested?: (hand: THand) => boolean;
  /** Asks before deleting (components/annotate/delete-hand-dialog.tsx). */
  onDeleteHand: () => void;
}) {
  const index = state.placement?.hand ?? state.selection.hand;
  const hand = index === null ? null : state.doc.hands[index];
  const set = (patch: Extract<TEditorCommand, { type: "setHandMeta" }>["patch"]) =>
    dispatch({ type: "setHandMeta", patch });
  return (
    <aside className="annotate-panel" aria-label="Metadata" data-testid="meta-panel">
      {hand && index !== null ? (
        <div className="stack">
          <strong>Hand {index + 1}</strong>
          <div className="row" role="group" aria-label="Handedness">
            {(["left", "right"] as const).map((side) => (
              <button
                key={side}
                type="button"
                aria-pressed={hand.handedness === side}
                onClick={() => dispatch({ type: "setHandedness", handedness: side })}
                data-testid={`meta-handedness-${side}`}
              >
                {side === "left" ? "Left (L)" : "Right (R)"}
              </button>
            ))}
            <button
              type="button"
              onClick={() => dispatch({ type: "mirrorHand" })}
              data-testid="meta-mirror"
              title={shortcutHint("mirror")}
            >
              Mirror
            </button>
            <button
              type="button"
              className="danger"
              onClick={onDeleteHand}
              data-testid="meta-delete"
              title={shortcutHint("delete-hand")}
            >
              Delete
            </button>
          </div>
          <div className="row" data-testid="meta-bbox">
            <span className="muted">Box: {hand.bboxEdited ? "adjusted by hand" : "follows the joints"}</span>
            {hand.bboxEdited && (
              <button type="button" onClick={() => dispatch({ type: "resetBbox" })} data-testid="meta-bbox-reset">
                Follow joints
              </button>
            )}
          </div>
          <label>
            Gesture
            <select
              value={hand.gesture ?? ""}
              onChange={(e) => set({ gesture: e.target.value || null })}
              data-testid="meta-gesture"
            >
              <option value="">–</option>
              {gestures.map((g) => (
                <option key={g} value={g}>
                  {g.replace(/_/g, " ")}
                </option>
              ))}
            </select>
          </label>
          <fieldset className="row" style={{ border: 0, padding: 0 }}>
            <legend className="muted">
              View
              {viewSuggested?.(hand) && (
                <span data-testid="meta-view-suggested" title="Suggested by the model: confirm or change it">
                  {" "}
                  (model&rsquo;s suggestion)
                </span>
              )}
            </legend>
            {ZHandView.options.map((view) => (
              <label key={view} className="inline">
                <input
                  type="radio"
                  name={`view-${index}`}
                  checked={hand.view === view}
                  onChange={() => set({ view })}
                  data-testid={`meta-view-${view}`}
                />
                {view}
              </label>
            ))}
          </fieldset>
          <label>
            Interaction
            <select
              value={hand.interaction}
              onChange={(e) => set({ interaction: ZHandInteraction.parse(e.target.value) })}
              data-testid="meta-interaction"
            >
              {ZHandInteraction.options.map((i) => (
                <option key={i} value={i}>
                  {i.replace(/_/g, " ")}
                </option>
              ))}
            </select>
          </label>
          <label className="inline">
            <input
              type="checkbox"
              checked={hand.truncated}
              onChange={(e) => set({ truncated: e.target.checked })}
              data-testid="meta-truncated"
            />
            Cut off by the image border
          </label>
          <fieldset className="swatches" aria-label="Perceived skin tone (Monk scale)">
            <legend className="muted" style={{ width: "100%" }}>
              Perceived skin tone (Monk)
            </legend>
            {MONK_SKIN_TONES.map((colour, tone) => (
              <label
                key={colour}
                className="swatch"
                style={{ background: colour, color: tone >= 5 ? "#fff" : "#000" }}
                title={`Monk ${tone + 1}`}
              >
                <input
                  type="radio"
                  name={`tone-${index}`}
                  checked={hand.skinTone === tone + 1}
                  onChange={() => set({ skinTone: tone + 1 })}
                  aria-label={`Monk ${tone + 1}`}
                  data-testid={`meta-tone-${tone + 1}`}
                />
                {tone + 1}
              </label>
            ))}
          </fieldset>
          {handAttributes.length > 0 && (
            <fieldset className="stack" style={{ border: 0, padding: 0 }}>
              <legend className="muted">Attributes</legend>
              {handAttributes.map((name) => (
                <label key={name} className="inline">
                  <input
                    type="checkbox"
                    checked={hand.attributes[name] === true}
                    onChange={(e) => {
                      const { [name]: _removed, ...rest } = hand.attributes;
                      set({ attributes: e.target.checked ? { ...rest, [name]: true } : rest });
                    }}
                    data-testid={`meta-attr-${name}`}
                  />
                  {name.replace(/_/g, " ")}
                </label>
              ))}
            </fieldset>
          )}
        </div>
      ) : (
        <p className="muted">Select a hand to describe it.</p>
      )}
      <hr />
      <strong>Image</strong>
      <label className="inline">
        <input
          type="checkbox"
          checked={state.doc.noHands}
          disabled={state.doc.hands.length > 0}
          onChange={(e) => dispatch({ type: "setNoHands", value: e.target.checked })}
          data-testid="meta-no-hands"
        />
        No hands in this image (Shift+N)
      </label>
      {imageFlags.map((flag) => (
        <label key={flag} className="inline">
          <input
            type="checkbox"
            checked={state.doc.imageFlags.includes(flag)}
            onChange={() => dispatch({ type: "toggleImageFlag", flag })}
            data-testid={`meta-flag-${flag}`}
          />
          {flag.replace(/_/g, " ")}
        </label>
      ))}
    </aside>
  );
}
