/**
 * Undo/redo over annotation documents. Documents are small (a few hands × 21 points), so each
 * entry is a whole immutable snapshot: reversible without closures, trivially correct.
 * A gesture (a drag) opens a mark; everything until it closes undoes as one step.
 */
import type { TAnnotationDoc } from "./schema";

/** Like cvat's MAX_HISTORY_LENGTH: old steps fall off rather than growing without bound. */
export const MAX_HISTORY = 128;

export type THistory = {
  past: TAnnotationDoc[];
  future: TAnnotationDoc[];
  /** The document when the open gesture began, or null. */
  mark: TAnnotationDoc | null;
};

export const emptyHistory = (): THistory => ({ past: [], future: [], mark: null });

/** Records `before` as one undo step (a new edit clears redo). */
export function record(history: THistory, before: TAnnotationDoc): THistory {
  return { past: [...history.past, before].slice(-MAX_HISTORY), future: [], mark: history.mark };
}

export function openMark(history: THistory, doc: TAnnotationDoc): THistory {
  return history.mark ? history : { ...history, mark: doc };
}

/** Closes the gesture: one undo step when it changed anything. */
export function closeMark(history: THistory, doc: TAnnotationDoc): THistory {
  if (!history.mark) return history;
  const changed = history.mark !== doc;
  const closed = { ...history, mark: null };
  return changed ? record(closed, history.mark) : closed;
}

export function undo(history: THistory, doc: TAnnotationDoc): { history: THistory; doc: TAnnotationDoc } | null {
  const previous = history.past.at(-1);
  if (!previous) return null;
  return { doc: previous, history: { past: history.past.slice(0, -1), future: [doc, ...history.future], mark: null } };
}

export function redo(history: THistory, doc: TAnnotationDoc): { history: THistory; doc: TAnnotationDoc } | null {
  const next = history.future[0];
  if (!next) return null;
  return { doc: next, history: { past: [...history.past, doc], future: history.future.slice(1), mark: null } };
}
