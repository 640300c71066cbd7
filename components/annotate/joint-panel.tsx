"use client";

import type { TEditorCommand, TEditorState } from "@/lib/annotate/editor";
import { JOINT_NAMES, WRIST } from "@/lib/hand/skeleton";
import { jointColour } from "./finger-colours";
import { shortcutHint } from "@/lib/annotate/shortcuts";

const STATE_MARK = { visible: "●", occluded: "○", absent: "–" } as const;

/**
 * The hands of the image and the 21 joints of the active one; the joint the next click places is highlighted.
 * Not `editable` (a reviewer who is not fixing, a read-only workspace): the buttons that would change labels are hidden.
 */
export function JointPanel({
  state,
  dispatch,
  editable = true,
}: {
  state: TEditorState;
  dispatch: (command: TEditorCommand) => void;
  editable?: boolean;
}) {
  const { doc, placement, selection } = state;
  const active = placement?.hand ?? selection.hand;
  const hand = active === null ? null : doc.hands[active];
  return (
    <aside className="annotate-panel" aria-label="Hands and joints" data-testid="joint-panel">
      <div className="row" style={{ justifyContent: "space-between" }}>
        <strong>Hands</strong>
        {editable && (
          <button
            type="button"
            onClick={() => dispatch({ type: "newHand" })}
            data-testid="hand-new"
            title={shortcutHint("new-hand")}
          >
            New hand ({shortcutHint("new-hand")})
          </button>
        )}
      </div>
      {doc.hands.length === 0 && <p className="muted">No hand yet. Press N and click the wrist.</p>}
      <ul className="hand-list">
        {doc.hands.map((h, index) => (
          <li key={index}>
            <button
              type="button"
              aria-pressed={active === index}
              onClick={() => dispatch({ type: "selectHand", hand: index })}
              data-testid={`hand-item-${index}`}
            >
              Hand {index + 1} · {h.handedness} · {h.keypoints.filter((p) => p.state !== "absent").length}/21
            </button>
          </li>
        ))}
      </ul>
      {hand && active !== null && (
        <>
          <strong>Joints of hand {active + 1}</strong>
          {placement && (
            <p className="muted" data-testid="placement-hint">
              Click to place <b>{JOINT_NAMES[placement.joint]}</b>
              {placement.occluded ? " as occluded" : ""}. O: occluded · X: absent · Enter: at the +, arrows move it
              {placement.templateFrom !== null ? " · then the template fills the rest" : ""}
            </p>
          )}
          {editable &&
            !placement &&
            selection.joint !== null &&
            hand.keypoints[selection.joint]?.state !== "absent" && (
              <div className="row" data-testid="joint-absent-controls">
                <button
                  type="button"
                  onClick={() => dispatch({ type: "markJointsAbsent", finger: false })}
                  title={shortcutHint("state-absent")}
                  data-testid="joint-absent"
                >
                  Absent ({shortcutHint("state-absent")})
                </button>
                {selection.joint !== WRIST && (
                  <button
                    type="button"
                    onClick={() => dispatch({ type: "markJointsAbsent", finger: true })}
                    title={shortcutHint("finger-absent")}
                    data-testid="finger-absent"
                  >
                    To the tip absent ({shortcutHint("finger-absent")})
                  </button>
                )}
              </div>
            )}
          <ol className="joint-list" start={0}>
            {hand.keypoints.map((point, joint) => {
              const current = placement ? placement.joint === joint : selection.joint === joint;
              return (
                <li key={joint}>
                  <button
                    type="button"
                    aria-current={current ? "step" : undefined}
                    onClick={() => dispatch({ type: "selectJoint", hand: active, joint })}
                    data-testid={`joint-item-${joint}`}
                    data-state={point.state}
                  >
                    <span style={{ color: jointColour(joint) }} aria-hidden>
                      {STATE_MARK[point.state]}
                    </span>{" "}
                    {joint} {JOINT_NAMES[joint]}
                    <span className="sr-only"> ({point.state})</span>
                  </button>
                </li>
              );
            })}
          </ol>
        </>
      )}
    </aside>
  );
}
