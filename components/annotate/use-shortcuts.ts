"use client";

import { useEffect, useRef } from "react";
import type { TEditorCommand } from "@/lib/annotate/editor";
import { shortcutFor, type TUiAction } from "@/lib/annotate/shortcuts";

/**
 * Binds the whole shortcut table (lib/annotate/shortcuts.ts) once. Keys typed into form fields
 * stay there, except Escape, which leaves the field for the canvas.
 */
export function useShortcuts(handlers: { dispatch: (command: TEditorCommand) => void; ui: (action: TUiAction) => void; disabled?: boolean }) {
  const latest = useRef(handlers);
  latest.current = handlers;
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (latest.current.disabled || event.defaultPrevented) return;
      const target = event.target as HTMLElement | null;
      const typing = !!target && (/^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName) || target.isContentEditable);
      if (typing) {
        if (event.key === "Escape") target.blur();
        return;
      }
      // Buttons keep Enter and Space for themselves.
      if (target?.tagName === "BUTTON" && (event.key === "Enter" || event.key === " ")) return;
      const shortcut = shortcutFor(event);
      if (!shortcut) return;
      event.preventDefault();
      if ("command" in shortcut.action) latest.current.dispatch(shortcut.action.command);
      else latest.current.ui(shortcut.action.ui);
    };
    window.addEventListener("keydown", onKeyDown);
    return () => window.removeEventListener("keydown", onKeyDown);
  }, []);
}
