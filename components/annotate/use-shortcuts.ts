"use client";

import { useEffect, useRef } from "react";
import type { TEditorCommand } from "@/lib/annotate/editor";
import { comboOf, shortcutFor, tabLeavesJoints, type TShortcutScope, type TUiAction } from "@/lib/annotate/shortcuts";

/** Tab selects joints only while the canvas (or nothing) has focus; elsewhere it moves focus as usual. */
function focusOnCanvasOrNothing(target: HTMLElement | null): boolean {
  return (
    !target ||
    target === document.body ||
    target === document.documentElement ||
    !!target.closest('[data-testid="annotate-canvas"]')
  );
}

/**
 * Binds the whole shortcut table (lib/annotate/shortcuts.ts) once. Keys typed into form fields
 * stay there, except Escape, which leaves the field for the canvas.
 */
export function useShortcuts(handlers: {
  dispatch: (command: TEditorCommand) => void;
  ui: (action: TUiAction) => void;
  disabled?: boolean;
  /** The selection: Tab past the last joint (Shift+Tab before the first) leaves the canvas, so focus is never trapped. */
  selection?: { hand: number | null; joint: number | null };
  /** Which screen's table to bind (lib/annotate/shortcuts.ts). */
  scope?: TShortcutScope;
  /** The order Tab visits the selected hand's joints in (default 0..20). */
  jointOrder?: readonly number[];
}) {
  const latest = useRef(handlers);
  latest.current = handlers;
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (latest.current.disabled || event.defaultPrevented) return;
      const target = event.target as HTMLElement | null;
      const typing = !!target && (/^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName) || target.isContentEditable);
      // Ctrl+Enter (and Ctrl+Shift+Enter) finish the work even from a text field, as in most form tools.
      if (typing && !/^mod\+(shift\+)?enter$/.test(comboOf(event))) {
        if (event.key === "Escape") target.blur();
        return;
      }
      // Buttons keep Enter and Space for themselves.
      if (target?.tagName === "BUTTON" && (event.key === "Enter" || event.key === " ")) return;
      const shortcut = shortcutFor(event, latest.current.scope);
      if (!shortcut) return;
      if ("command" in shortcut.action && shortcut.action.command.type === "cycleJoint") {
        if (
          !focusOnCanvasOrNothing(target) ||
          tabLeavesJoints(
            latest.current.selection ?? { hand: null, joint: null },
            shortcut.action.command.step,
            latest.current.jointOrder,
          )
        )
          return;
      }
      event.preventDefault();
      if ("command" in shortcut.action) latest.current.dispatch(shortcut.action.command);
      else latest.current.ui(shortcut.action.ui);
    };
    window.addEventListener("keydown", onKeyDown);
    return () => window.removeEventListener("keydown", onKeyDown);
  }, []);
}
