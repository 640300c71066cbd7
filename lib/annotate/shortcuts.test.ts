import { describe, expect, it } from "vitest";
import { SHORTCUTS, comboOf, shortcutFor, shortcutHint, shortcutsOf, tabLeavesJoints } from "./shortcuts";

const key = (
  k: string,
  mods: Partial<{ ctrlKey: boolean; metaKey: boolean; shiftKey: boolean; altKey: boolean }> = {},
) => ({ key: k, ctrlKey: false, metaKey: false, shiftKey: false, altKey: false, ...mods });

describe("shortcuts", () => {
  it("binds every combo to exactly one action on each screen (no two shortcuts compete for a key)", () => {
    for (const scope of ["annotate", "review"] as const) {
      const combos = shortcutsOf(scope).flatMap((shortcut) => shortcut.keys);
      const duplicates = combos.filter((combo, index) => combos.indexOf(combo) !== index);
      expect(duplicates, scope).toEqual([]);
    }
  });

  it("gives reviewers accept, return and fix, and keeps annotator-only actions off the review screen", () => {
    expect(shortcutFor(key("Enter", { ctrlKey: true }), "review")?.id).toBe("review-accept");
    expect(shortcutFor(key("Enter", { ctrlKey: true }), "annotate")?.id).toBe("submit");
    expect(shortcutFor(key("Enter", { ctrlKey: true, shiftKey: true }), "review")?.id).toBe("review-return");
    expect(shortcutFor(key("f"), "review")?.id).toBe("review-fix");
    expect(shortcutFor(key("f"), "annotate")).toBeNull();
    expect(shortcutFor(key("d"), "review")).toBeNull();
  });

  it("has unique ids and a label for each", () => {
    expect(new Set(SHORTCUTS.map((s) => s.id)).size).toBe(SHORTCUTS.length);
    expect(SHORTCUTS.every((s) => s.label.length > 3)).toBe(true);
  });

  it("normalises events: Ctrl and Cmd are both 'mod', shift is implied for symbols", () => {
    expect(comboOf(key("Z", { ctrlKey: true, shiftKey: true }))).toBe("mod+shift+z");
    expect(comboOf(key("z", { metaKey: true }))).toBe("mod+z");
    expect(comboOf(key("?", { shiftKey: true }))).toBe("?");
    expect(comboOf(key("ArrowLeft", { shiftKey: true }))).toBe("shift+arrowleft");
    expect(comboOf(key("Tab", { shiftKey: true }))).toBe("shift+tab");
  });

  it("finds the action for the keys the issue names", () => {
    expect(shortcutFor(key("n"))?.id).toBe("new-hand");
    expect(shortcutFor(key("L", { shiftKey: false }))?.id).toBe("left");
    expect(shortcutFor(key("z", { ctrlKey: true }))?.id).toBe("undo");
    expect(shortcutFor(key("z", { ctrlKey: true, shiftKey: true }))?.id).toBe("redo");
    expect(shortcutFor(key("?", { shiftKey: true }))?.id).toBe("help");
    expect(shortcutFor(key("q"))).toBeNull();
  });

  it("gives buttons their keys from the table, and refuses an unknown id", () => {
    expect(shortcutHint("undo")).toBe("Ctrl+Z");
    expect(shortcutHint("redo")).toBe("Ctrl+Shift+Z");
    expect(shortcutHint("delete-hand")).toBe("Del");
    expect(() => shortcutHint("no-such-shortcut")).toThrow(/no-such-shortcut/);
  });

  it("lets Tab leave the joints after the last one and Shift+Tab before the first (no keyboard trap)", () => {
    const at = (joint: number | null) => ({ hand: 0, joint });
    expect(tabLeavesJoints(at(null), 1)).toBe(false);
    expect(tabLeavesJoints(at(5), 1)).toBe(false);
    expect(tabLeavesJoints(at(20), 1)).toBe(true);
    expect(tabLeavesJoints(at(0), -1)).toBe(true);
    expect(tabLeavesJoints(at(20), -1)).toBe(false);
    expect(tabLeavesJoints({ hand: null, joint: null }, 1)).toBe(true);
  });
});
