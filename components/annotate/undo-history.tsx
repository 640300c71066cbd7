"use client";

import { useMemo } from "react";
import type { TEditorCommand, TEditorState } from "@/lib/annotate/editor";
import { historySteps } from "@/lib/annotate/history-steps";

/** The workspace's undo history: every step in words, newest first; clicking one goes back to just after it. */
export function UndoHistory({
  state,
  dispatch,
  disabled = false,
}: {
  state: TEditorState;
  dispatch: (command: TEditorCommand) => void;
  disabled?: boolean;
}) {
  const { done, undone } = useMemo(() => historySteps(state.history, state.doc), [state.history, state.doc]);
  const times = (count: number, type: "undo" | "redo") => {
    for (let i = 0; i < count; i++) dispatch({ type });
  };
  return (
    <details data-testid="undo-history" data-done={done.length} data-undone={undone.length}>
      <summary>
        Undo history ({done.length} step{done.length === 1 ? "" : "s"}
        {undone.length ? `, ${undone.length} to redo` : ""})
      </summary>
      <div className="row" style={{ margin: "var(--space-1) 0" }}>
        <button type="button" disabled={disabled || done.length === 0} onClick={() => times(1, "undo")}>
          Undo
        </button>
        <button type="button" disabled={disabled || undone.length === 0} onClick={() => times(1, "redo")}>
          Redo
        </button>
      </div>
      <ol reversed style={{ margin: 0, paddingLeft: 24 }} data-testid="undo-steps">
        {undone
          .map((label, index) => (
            <li key={`redo-${index}`} className="muted" data-testid="redo-step">
              <button
                type="button"
                className="link"
                disabled={disabled}
                onClick={() => times(index + 1, "redo")}
                title="Redo up to here"
                style={{ textDecoration: "line-through" }}
              >
                {label}
              </button>
            </li>
          ))
          .reverse()}
        {done
          .map((label, index) => (
            <li key={`done-${index}`} data-testid="undo-step">
              <button
                type="button"
                className="link"
                disabled={disabled || index === done.length - 1}
                onClick={() => times(done.length - 1 - index, "undo")}
                title={index === done.length - 1 ? "The latest step" : "Undo back to just after this step"}
              >
                {label}
              </button>
            </li>
          ))
          .reverse()}
      </ol>
    </details>
  );
}
