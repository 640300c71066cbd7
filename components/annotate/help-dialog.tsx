"use client";

import * as RadixDialog from "@radix-ui/react-dialog";
import { describeCombo, shortcutsOf, type TShortcutScope } from "@/lib/annotate/shortcuts";

const GROUPS = ["Review", "Placing", "Editing", "Hands", "View", "Work"] as const;

/** Every shortcut, rendered from the same table the keyboard hook binds. */
export function HelpDialog({
  open,
  onOpenChange,
  scope = "annotate",
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  scope?: TShortcutScope;
}) {
  const shortcuts = shortcutsOf(scope);
  return (
    <RadixDialog.Root open={open} onOpenChange={onOpenChange}>
      <RadixDialog.Portal>
        <RadixDialog.Overlay className="dialog-overlay" />
        <RadixDialog.Content
          className="dialog-content card stack"
          style={{ width: "min(760px, 96vw)" }}
          data-testid="help-dialog"
        >
          <RadixDialog.Title style={{ margin: 0 }}>Keyboard shortcuts</RadixDialog.Title>
          <RadixDialog.Description className="muted">
            {scope === "review"
              ? "Review: decide with the keyboard; the editing keys act in Fix labels (F)."
              : "A full hand: N, then one click per joint (21 clicks). Click = place the highlighted joint."}
          </RadixDialog.Description>
          <div className="grid" style={{ gridTemplateColumns: "repeat(auto-fill, minmax(320px, 1fr))" }}>
            {GROUPS.filter((group) => shortcuts.some((s) => s.group === group)).map((group) => (
              <table key={group}>
                <caption style={{ textAlign: "left", fontWeight: 600 }}>{group}</caption>
                <tbody>
                  {shortcuts
                    .filter((s) => s.group === group)
                    .map((s) => (
                      <tr key={s.id} data-testid="help-row">
                        <td style={{ whiteSpace: "nowrap" }}>
                          {s.keys.map((k) => (
                            <kbd key={k} className="badge">
                              {describeCombo(k)}
                            </kbd>
                          ))}
                        </td>
                        <td>{s.label}</td>
                      </tr>
                    ))}
                </tbody>
              </table>
            ))}
          </div>
          <RadixDialog.Close asChild>
            <button type="button" className="dialog-close" aria-label="Close">
              ×
            </button>
          </RadixDialog.Close>
        </RadixDialog.Content>
      </RadixDialog.Portal>
    </RadixDialog.Root>
  );
}
