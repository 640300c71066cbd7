/**
 * Every workspace shortcut, as data: one hook binds them (components/annotate/use-shortcuts.ts)
 * and the help overlay (`?`) renders this same table, so the two cannot disagree.
 */
import { JOINT_COUNT } from "@/lib/hand/skeleton";
import type { TEditorCommand } from "./editor";

export type TUiAction =
  | "help"
  | "submit"
  | "copyPrevious"
  | "detect"
  | "regionMode"
  | "fingerMode"
  | "handMode"
  | "zoomIn"
  | "zoomOut"
  | "zoomFit"
  | "toggleNoHands"
  | "skip"
  | "blurPreview"
  | "deleteHand"
  | "reviewAccept"
  | "reviewReturn"
  | "reviewFix"
  | "reviewNext"
  | "cycleOthers";

/** How hands other than the active one are drawn: normally, locked against presses, or not at all. */
export const OTHER_HANDS = ["shown", "locked", "hidden"] as const;
export type TOtherHands = (typeof OTHER_HANDS)[number];

/** Where a shortcut works: both screens, the annotation workspace only, or the review screen only. */
export type TShortcutScope = "annotate" | "review";

export type TShortcut = {
  id: string;
  /** Normalised combos: modifiers in the order mod, shift, alt, then the key in lower case ("mod+shift+z"). */
  keys: readonly string[];
  label: string;
  group: "Placing" | "Editing" | "Hands" | "View" | "Work" | "Review";
  action: { command: TEditorCommand } | { ui: TUiAction };
  /** Omitted: both screens (in review, editing keys act only in "Fix labels"). */
  only?: TShortcutScope;
};

export const SHORTCUTS: readonly TShortcut[] = [
  {
    id: "new-hand",
    keys: ["n"],
    label: "New hand (starts at the wrist)",
    group: "Placing",
    action: { command: { type: "newHand" } },
  },
  {
    id: "place-at-cursor",
    keys: ["enter"],
    label: "Place the joint at the + (while placing, the arrow keys move the +)",
    group: "Placing",
    action: { command: { type: "placeAtCursor" } },
  },
  {
    id: "occluded-next",
    keys: ["o"],
    label: "Next click places the joint as occluded",
    group: "Placing",
    action: { command: { type: "toggleOccludedNext" } },
  },
  {
    id: "absent",
    keys: ["x"],
    label: "Current joint is absent; go to the next",
    group: "Placing",
    action: { command: { type: "markAbsent" } },
  },
  {
    id: "template",
    keys: ["t"],
    label: "Hand template from wrist and middle MCP",
    group: "Placing",
    action: { command: { type: "applyTemplate" } },
  },
  {
    id: "state-visible",
    keys: ["v"],
    label: "Selected joint: visible",
    group: "Editing",
    action: { command: { type: "setJointState", state: "visible" } },
  },
  {
    id: "state-occluded",
    keys: ["shift+o"],
    label: "Selected joint: occluded",
    group: "Editing",
    action: { command: { type: "setJointState", state: "occluded" } },
  },
  {
    id: "state-absent",
    keys: ["shift+x"],
    label: "Selected joint: absent (or Shift+click a joint)",
    group: "Editing",
    action: { command: { type: "setJointState", state: "absent" } },
  },
  {
    id: "finger-absent",
    keys: ["shift+f"],
    label: "Selected joint and the rest of its finger to the tip: absent (or Shift+click a joint in finger drag mode)",
    group: "Editing",
    action: { command: { type: "markJointsAbsent", finger: true } },
  },
  {
    id: "nudge-left",
    keys: ["arrowleft"],
    label: "Nudge joint 1 px left",
    group: "Editing",
    action: { command: { type: "nudge", dx: -1, dy: 0 } },
  },
  {
    id: "nudge-right",
    keys: ["arrowright"],
    label: "Nudge joint 1 px right",
    group: "Editing",
    action: { command: { type: "nudge", dx: 1, dy: 0 } },
  },
  {
    id: "nudge-up",
    keys: ["arrowup"],
    label: "Nudge joint 1 px up",
    group: "Editing",
    action: { command: { type: "nudge", dx: 0, dy: -1 } },
  },
  {
    id: "nudge-down",
    keys: ["arrowdown"],
    label: "Nudge joint 1 px down",
    group: "Editing",
    action: { command: { type: "nudge", dx: 0, dy: 1 } },
  },
  {
    id: "nudge-left-10",
    keys: ["shift+arrowleft"],
    label: "Nudge joint 10 px left",
    group: "Editing",
    action: { command: { type: "nudge", dx: -10, dy: 0 } },
  },
  {
    id: "nudge-right-10",
    keys: ["shift+arrowright"],
    label: "Nudge joint 10 px right",
    group: "Editing",
    action: { command: { type: "nudge", dx: 10, dy: 0 } },
  },
  {
    id: "nudge-up-10",
    keys: ["shift+arrowup"],
    label: "Nudge joint 10 px up",
    group: "Editing",
    action: { command: { type: "nudge", dx: 0, dy: -10 } },
  },
  {
    id: "nudge-down-10",
    keys: ["shift+arrowdown"],
    label: "Nudge joint 10 px down",
    group: "Editing",
    action: { command: { type: "nudge", dx: 0, dy: 10 } },
  },
  {
    id: "next-joint",
    keys: ["tab"],
    label: "Select the next joint",
    group: "Editing",
    action: { command: { type: "cycleJoint", step: 1 } },
  },
  {
    id: "previous-joint",
    keys: ["shift+tab"],
    label: "Select the previous joint",
    group: "Editing",
    action: { command: { type: "cycleJoint", step: -1 } },
  },
  { id: "undo", keys: ["mod+z"], label: "Undo", group: "Editing", action: { command: { type: "undo" } } },
  {
    id: "redo",
    keys: ["mod+shift+z", "mod+y"],
    label: "Redo",
    group: "Editing",
    action: { command: { type: "redo" } },
  },
  {
    id: "escape",
    keys: ["escape"],
    label: "Stop placing / clear the joint selection",
    group: "Editing",
    action: { command: { type: "clearSelection" } },
  },
  {
    id: "left",
    keys: ["l"],
    label: "Selected hand is a left hand",
    group: "Hands",
    action: { command: { type: "setHandedness", handedness: "left" } },
  },
  {
    id: "right",
    keys: ["r"],
    label: "Selected hand is a right hand",
    group: "Hands",
    action: { command: { type: "setHandedness", handedness: "right" } },
  },
  {
    id: "mirror",
    keys: ["m"],
    label: "Mirror the selected hand (swaps left/right)",
    group: "Hands",
    action: { command: { type: "mirrorHand" } },
  },
  {
    id: "delete-hand",
    keys: ["delete", "backspace"],
    label: "Delete the selected hand (asks first)",
    group: "Hands",
    action: { ui: "deleteHand" },
  },
  {
    id: "next-hand",
    keys: ["]"],
    label: "Select the next hand",
    group: "Hands",
    action: { command: { type: "cycleHand", step: 1 } },
  },
  {
    id: "previous-hand",
    keys: ["["],
    label: "Select the previous hand",
    group: "Hands",
    action: { command: { type: "cycleHand", step: -1 } },
  },
  {
    id: "other-hands",
    keys: ["h"],
    label: "Other hands: shown → locked (not draggable) → hidden",
    group: "Hands",
    action: { ui: "cycleOthers" },
    only: "annotate",
  },
  {
    id: "copy-previous",
    keys: ["c"],
    label: "Copy the hands of this subject's previous image",
    group: "Hands",
    action: { ui: "copyPrevious" },
    only: "annotate",
  },
  {
    id: "detect",
    keys: ["d"],
    label: "Detect hands with the model; on a selected, partly labelled hand: complete its missing joints",
    group: "Hands",
    action: { ui: "detect" },
    only: "annotate",
  },
  {
    id: "region-assist",
    keys: ["a"],
    label: "Box assist on/off: drag a box around a hand (or click its centre) and the model labels it",
    group: "Hands",
    action: { ui: "regionMode" },
    only: "annotate",
  },
  {
    id: "finger-drag",
    keys: ["g"],
    label: "Finger drag on/off (or hold Alt): dragging a joint turns and stretches the rest of its finger",
    group: "Editing",
    action: { ui: "fingerMode" },
    only: "annotate",
  },
  {
    id: "hand-drag",
    keys: ["w"],
    label:
      "Hand drag on/off (or hold Ctrl/⌘): dragging the wrist moves the whole hand, a finger base slides the knuckle row along the fingers, any other joint turns and scales the hand about the wrist; the arrow keys move the selected joint the same way",
    group: "Editing",
    action: { ui: "handMode" },
    only: "annotate",
  },
  {
    id: "blur-preview",
    keys: ["b"],
    label: "Preview the fingertip blur an export applies",
    group: "View",
    action: { ui: "blurPreview" },
  },
  { id: "zoom-in", keys: ["=", "+"], label: "Zoom in", group: "View", action: { ui: "zoomIn" } },
  { id: "zoom-out", keys: ["-"], label: "Zoom out", group: "View", action: { ui: "zoomOut" } },
  {
    id: "zoom-fit",
    keys: ["0"],
    label: "Fit the image to the screen (also: wheel zooms, space+drag or middle button pans)",
    group: "View",
    action: { ui: "zoomFit" },
  },
  {
    id: "no-hands",
    keys: ["shift+n"],
    label: "The image shows no hands",
    group: "Work",
    action: { ui: "toggleNoHands" },
    only: "annotate",
  },
  {
    id: "submit",
    keys: ["mod+enter"],
    label: "Submit and take the next image",
    group: "Work",
    action: { ui: "submit" },
    only: "annotate",
  },
  {
    id: "skip",
    keys: ["mod+shift+k"],
    label: "Skip this image (asks for a reason)",
    group: "Work",
    action: { ui: "skip" },
    only: "annotate",
  },
  { id: "help", keys: ["?"], label: "Show these shortcuts", group: "Work", action: { ui: "help" } },
  {
    id: "review-accept",
    keys: ["mod+enter"],
    label: "Accept (in Fix labels: accept my fix) and open the next",
    group: "Review",
    action: { ui: "reviewAccept" },
    only: "review",
  },
  {
    id: "review-return",
    keys: ["mod+shift+enter"],
    label: "Return to annotator with the comment (asks for one first) and open the next",
    group: "Review",
    action: { ui: "reviewReturn" },
    only: "review",
  },
  {
    id: "review-fix",
    keys: ["f"],
    label: "Fix labels: switch editing on or off",
    group: "Review",
    action: { ui: "reviewFix" },
    only: "review",
  },
  {
    id: "review-next",
    keys: ["j"],
    label: "Next: pass this one on undecided (it waits for review again) and open the next",
    group: "Review",
    action: { ui: "reviewNext" },
    only: "review",
  },
];

/**
 * Tab past the last joint, or Shift+Tab from the first, or Tab with no hand selected, leaves the joints (the browser moves focus on),
 * so keyboard users are never trapped on the canvas (WCAG 2.1.2).
 */
export function tabLeavesJoints(
  selection: { hand: number | null; joint: number | null },
  step: 1 | -1,
  order?: readonly number[],
): boolean {
  if (selection.hand === null) return true;
  const first = order?.[0] ?? 0;
  const last = order?.[JOINT_COUNT - 1] ?? JOINT_COUNT - 1;
  return step === 1 ? selection.joint === last : selection.joint === first;
}

type TKeyEvent = { key: string; ctrlKey: boolean; metaKey: boolean; shiftKey: boolean; altKey: boolean };

/** Symbols already imply shift on most layouts ("?", "+"), so shift is not part of their combo. */
const SHIFT_IMPLIED = /^[^a-z0-9]$/i;

export function comboOf(event: TKeyEvent): string {
  const key = event.key.toLowerCase();
  const parts: string[] = [];
  if (event.ctrlKey || event.metaKey) parts.push("mod");
  if (event.shiftKey && !(SHIFT_IMPLIED.test(event.key) && key !== "tab")) parts.push("shift");
  if (event.altKey) parts.push("alt");
  parts.push(key === " " ? "space" : key);
  return parts.join("+");
}

/** The shortcuts of one screen. */
export function shortcutsOf(scope: TShortcutScope): TShortcut[] {
  return SHORTCUTS.filter((shortcut) => !shortcut.only || shortcut.only === scope);
}

const BY_COMBO = {
  annotate: new Map(
    shortcutsOf("annotate").flatMap((shortcut) => shortcut.keys.map((key) => [key, shortcut] as const)),
  ),
  review: new Map(shortcutsOf("review").flatMap((shortcut) => shortcut.keys.map((key) => [key, shortcut] as const))),
};

export function shortcutFor(event: TKeyEvent, scope: TShortcutScope = "annotate"): TShortcut | null {
  return BY_COMBO[scope].get(comboOf(event)) ?? null;
}

/** Human-readable combo for the help overlay ("mod" shows as Ctrl). */
export function describeCombo(combo: string): string {
  return combo
    .split("+")
    .map(
      (part) =>
        ({
          mod: "Ctrl",
          shift: "Shift",
          alt: "Alt",
          arrowleft: "←",
          arrowright: "→",
          arrowup: "↑",
          arrowdown: "↓",
          escape: "Esc",
          enter: "Enter",
          tab: "Tab",
          delete: "Del",
          backspace: "⌫",
        })[part] ?? part.toUpperCase(),
    )
    .join("+");
}

/** The first combo of a shortcut, as buttons show it in their title ("Ctrl+Z"); one source with the table. */
export function shortcutHint(id: string): string {
  const shortcut = SHORTCUTS.find((candidate) => candidate.id === id);
  if (!shortcut) throw new Error(`No shortcut "${id}" in lib/annotate/shortcuts.ts`);
  return describeCombo(shortcut.keys[0]);
}
