"use client";

import * as RadixDialog from "@radix-ui/react-dialog";
import { useState } from "react";
import type { TEditorCommand, TEditorState } from "@/lib/annotate/editor";
import type { THand } from "@/lib/hand/schema";
import { plural } from "@/lib/text/plural";

/** Asks before a whole hand is deleted (Delete/Backspace or the Delete button); Undo still brings it back. */
export function DeleteHandDialog({
  hand,
  index,
  onConfirm,
  onCancel,
}: {
  hand: THand | null;
  index: number | null;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const placed = hand ? hand.keypoints.filter((p) => p.state !== "absent").length : 0;
  return (
    <RadixDialog.Root
      open={hand !== null}
      onOpenChange={(open) => {
        if (!open) onCancel();
      }}
    >
      <RadixDialog.Portal>
        <RadixDialog.Overlay className="dialog-overlay" />
        <RadixDialog.Content className="dialog-content card stack" data-testid="delete-hand-dialog">
          <RadixDialog.Title style={{ margin: 0 }}>Delete hand {(index ?? 0) + 1}?</RadixDialog.Title>
          <RadixDialog.Description>
            The {hand?.handedness ?? ""} hand with {plural(placed, "placed joint")} and its metadata are removed. Undo
            (Ctrl+Z) brings it back.
          </RadixDialog.Description>
          <div className="row">
            <RadixDialog.Close asChild>
              <button type="button" data-testid="delete-hand-cancel">
                Keep it
              </button>
            </RadixDialog.Close>
            <button type="button" className="danger" autoFocus onClick={onConfirm} data-testid="delete-hand-confirm">
              Delete hand
            </button>
          </div>
        </RadixDialog.Content>
      </RadixDialog.Portal>
    </RadixDialog.Root>
  );
}

/**
 * Deleting the selected hand: asks first when it has placed joints (a hand just started with N goes at once).
 * Returns `ask` for the shortcut and the Delete button, `asking` to pause shortcuts, and the dialog to render.
 */
export function useDeleteHand(state: TEditorState, dispatch: (command: TEditorCommand) => void) {
  const [asking, setAsking] = useState<number | null>(null);
  const selected = state.placement?.hand ?? state.selection.hand;
  const ask = () => {
    if (selected === null || !state.doc.hands[selected]) return;
    if (state.doc.hands[selected].keypoints.every((p) => p.state === "absent")) return dispatch({ type: "deleteHand" });
    setAsking(selected);
  };
  const confirm = () => {
    if (asking !== null) {
      dispatch({ type: "selectHand", hand: asking });
      dispatch({ type: "deleteHand" });
    }
    setAsking(null);
  };
  const dialog = (
    <DeleteHandDialog
      hand={asking === null ? null : (state.doc.hands[asking] ?? null)}
      index={asking}
      onConfirm={confirm}
      onCancel={() => setAsking(null)}
    />
  );
  return { ask, asking: asking !== null, dialog };
}
