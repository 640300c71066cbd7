"use client";

import { useRouter } from "next/navigation";
import { useDeferredValue, useMemo, useReducer, useState } from "react";
import * as RadixDialog from "@radix-ui/react-dialog";
import { createEditor, dispatch as reduce, type TEditorCommand } from "@/lib/annotate/editor";
import type { TAnnotationDoc } from "@/lib/annotate/schema";
import { submitProblems } from "@/lib/annotate/submit-checks";
import { rescaleHand } from "@/lib/annotate/hand-ops";
import { JOINT_NAMES } from "@/lib/hand/skeleton";
import { annotationQualityFlags } from "@/lib/qc/annotation-flags";
import { QualityFlags } from "./quality-flags";
import type { TUiAction } from "@/lib/annotate/shortcuts";
import { callApi } from "@/components/forms/call-api";
import { AnnotationCanvas, type TViewCommand } from "./annotation-canvas";
import { HandMetaPanel } from "./hand-meta-panel";
import { HelpDialog } from "./help-dialog";
import { JointPanel } from "./joint-panel";
import { useActiveTime } from "./use-active-time";
import { useAutosave, type TSaveStatus } from "./use-autosave";
import { useShortcuts } from "./use-shortcuts";

export type TWorkspaceProps = {
  annotationId: string;
  projectId: string;
  image: { id: string; width: number; height: number };
  project: { name: string; gestures: string[]; handAttributes: string[]; imageFlags: string[] };
  initialDoc: TAnnotationDoc;
  initialVersion: number;
  readOnly: boolean;
  returnedComment?: string | null;
  /** The reviewer's pins on returned work. */
  pins?: { x: number; y: number; handIndex: number | null; jointIndex: number | null; message: string }[];
};

const STATUS_TEXT: Record<TSaveStatus, string> = {
  saved: "All changes saved",
  pending: "Unsaved changes…",
  saving: "Saving…",
  retrying: "Unsaved — retrying",
  conflict: "Conflict: not saved",
  refused: "Not saved",
};

/** The annotation workspace: editor state (lib/annotate), the Konva view, panels, autosave, shortcuts. */
export function Workspace(props: TWorkspaceProps) {
  const { annotationId, projectId, image, project } = props;
  const router = useRouter();
  const [state, send] = useReducer(reduce, undefined, () => createEditor(image, props.initialDoc));
  const activeTime = useActiveTime();
  const autosave = useAutosave({
    annotationId, initialVersion: props.initialVersion, doc: state.doc, revision: state.revision,
    takeActiveMs: activeTime.take, giveBackActiveMs: activeTime.giveBack,
  });
  const [helpOpen, setHelpOpen] = useState(false);
  const [skipOpen, setSkipOpen] = useState(false);
  const [showProblems, setShowProblems] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [viewCommand, setViewCommand] = useState<TViewCommand | null>(null);
  // The canvas follows every pointer move; panels and checks may lag a frame behind
  // (a deferred render is dropped when a newer move arrives), which keeps drags at the display rate.
  const panelState = useDeferredValue(state);
  const problems = useMemo(() => (showProblems ? submitProblems(panelState.doc, image) : []), [showProblems, panelState.doc, image]);
  const flags = useMemo(() => annotationQualityFlags(panelState.doc, image).all, [panelState.doc, image]);

  const dispatch = (command: TEditorCommand) => { if (!props.readOnly) send(command); };

  async function takeNext() {
    const next = await callApi<{ annotationId: string | null; message?: string }>("POST", `/api/projects/${projectId}/queue/claim`);
    if (next.ok && next.data.annotationId) router.push(`/annotate/${next.data.annotationId}`);
    else router.push(`/projects/${projectId}/annotate?finished=1`);
  }

  async function submit() {
    if (busy || props.readOnly) return;
    setBusy(true);
    try {
      await autosave.flush();
      const found = submitProblems(state.doc, image);
      setShowProblems(true);
      if (found.length) return setNotice(`Not submitted: ${found.length} problem${found.length === 1 ? "" : "s"} to fix (marked in red).`);
      if (autosave.dirty()) return setNotice("Not submitted: the last changes are not saved yet.");
      const result = await callApi("POST", `/api/annotations/${annotationId}/submit`, { version: autosave.version() });
      if (!result.ok) return setNotice(result.error);
      await takeNext();
    } finally {
      setBusy(false);
    }
  }

  async function copyPrevious() {
    const result = await callApi<{ hands: TAnnotationDoc["hands"]; source: { width: number; height: number } | null }>("GET", `/api/annotations/${annotationId}/previous-hands`);
    if (!result.ok) return setNotice(result.error);
    const { hands, source } = result.data;
    if (hands.length === 0 || !source) return setNotice("No earlier labelled image of this subject to copy from.");
    dispatch({ type: "pasteHands", hands: hands.map((hand) => rescaleHand(hand, source, image)) });
    setNotice(`Copied ${result.data.hands.length} hand(s) from this subject's previous image; adjust them to this one.`);
  }

  const ui = (action: TUiAction) => {
    if (action === "help") setHelpOpen(true);
    else if (action === "submit") void submit();
    else if (action === "copyPrevious") void copyPrevious();
    else if (action === "toggleNoHands") dispatch({ type: "setNoHands", value: !state.doc.noHands });
    else if (action === "skip") setSkipOpen(true);
    else setViewCommand({ kind: action, nonce: Date.now() });
  };
  useShortcuts({ dispatch, ui, disabled: helpOpen || skipOpen || autosave.status === "conflict" });

  async function skip(reason: string) {
    await autosave.flush();
    const result = await callApi("POST", `/api/annotations/${annotationId}/skip`, { reason });
    if (!result.ok) return setNotice(result.error);
    setSkipOpen(false);
    await takeNext();
  }

  return (
    <div
      className="workspace"
      data-testid="workspace"
      data-doc={JSON.stringify(state.doc)}
      data-placement={JSON.stringify(state.placement)}
      data-selection={JSON.stringify(state.selection)}
      data-save-status={autosave.status}
    >
      <header className="workspace-bar">
        <a href={`/projects/${projectId}/annotate`} className="muted">← {project.name}</a>
        <span className="row">
          <button type="button" onClick={() => dispatch({ type: "undo" })} disabled={state.history.past.length === 0} data-testid="button-undo" title="Ctrl+Z">Undo</button>
          <button type="button" onClick={() => dispatch({ type: "redo" })} disabled={state.history.future.length === 0} data-testid="button-redo" title="Ctrl+Shift+Z">Redo</button>
          <button type="button" onClick={() => dispatch({ type: "applyTemplate" })} data-testid="button-template" title="T">Template</button>
          <button type="button" onClick={() => void copyPrevious()} data-testid="button-copy-previous" title="C">Copy previous</button>
          <button type="button" onClick={() => ui("zoomFit")} title="0">Fit</button>
          <button type="button" onClick={() => setHelpOpen(true)} data-testid="button-help" title="?">Shortcuts (?)</button>
        </span>
        <span className={`save-status save-${autosave.status}`} role="status" data-testid="save-status">{STATUS_TEXT[autosave.status]}</span>
        <span className="row">
          <button type="button" onClick={() => setSkipOpen(true)} disabled={props.readOnly} data-testid="button-skip">Skip…</button>
          <button type="button" className="primary" onClick={() => void submit()} disabled={busy || props.readOnly} data-testid="button-submit" title="Ctrl+Enter">Submit</button>
        </span>
      </header>
      {props.returnedComment && (
        <div className="alert" role="note" data-testid="returned-review">
          Returned by review: {props.returnedComment}
          {props.pins && props.pins.length > 0 && (
            <ol data-testid="returned-pins">{props.pins.map((pin, i) => <li key={i}>{pin.message}{pin.jointIndex !== null ? ` (${JOINT_NAMES[pin.jointIndex]})` : ""}</li>)}</ol>
          )}
        </div>
      )}
      {props.readOnly && <div className="notice" role="status">This annotation was submitted; it is shown read-only.</div>}
      {(notice || autosave.message) && (
        <div className="alert" role="alert" data-testid="workspace-alert">
          {autosave.message ?? notice}
          {showProblems && problems.length > 0 && <ul data-testid="submit-problems">{problems.map((p, i) => <li key={i}>{p.message}</li>)}</ul>}
        </div>
      )}
      <div className="workspace-body">
        <JointPanel state={panelState} dispatch={dispatch} />
        <AnnotationCanvas imageId={image.id} imageSize={image} state={state} dispatch={dispatch} problems={problems} viewCommand={viewCommand} pins={props.pins} flags={flags} />
        <div className="annotate-panel" style={{ padding: 0 }}>
          <div style={{ padding: "var(--space-2) var(--space-3)" }}><QualityFlags flags={flags} /></div>
          <HandMetaPanel state={state} dispatch={dispatch} gestures={project.gestures} handAttributes={project.handAttributes} imageFlags={project.imageFlags} />
        </div>
      </div>
      <HelpDialog open={helpOpen} onOpenChange={setHelpOpen} />
      <RadixDialog.Root open={autosave.status === "conflict"}>
        <RadixDialog.Portal>
          <RadixDialog.Overlay className="dialog-overlay" />
          <RadixDialog.Content className="dialog-content card stack" data-testid="conflict-dialog">
            <RadixDialog.Title style={{ margin: 0 }}>Someone else saved this annotation</RadixDialog.Title>
            <RadixDialog.Description>Another tab or person saved a newer version while you were editing. Nothing was overwritten. Choose which version to keep.</RadixDialog.Description>
            <div className="row">
              <button type="button" onClick={() => { const theirs = autosave.conflict!.doc; send({ type: "load", doc: theirs }); autosave.takeTheirs(0); }} data-testid="conflict-take-theirs">Load the newer version</button>
              <button type="button" className="primary" onClick={() => void autosave.keepMine()} data-testid="conflict-keep-mine">Keep mine (replace theirs)</button>
            </div>
          </RadixDialog.Content>
        </RadixDialog.Portal>
      </RadixDialog.Root>
      <RadixDialog.Root open={skipOpen} onOpenChange={setSkipOpen}>
        <RadixDialog.Portal>
          <RadixDialog.Overlay className="dialog-overlay" />
          <RadixDialog.Content className="dialog-content card stack" data-testid="skip-dialog">
            <RadixDialog.Title style={{ margin: 0 }}>Skip this image</RadixDialog.Title>
            <RadixDialog.Description className="muted">It goes back to the queue for someone else.</RadixDialog.Description>
            <form className="form" onSubmit={(e) => { e.preventDefault(); void skip(String(new FormData(e.currentTarget).get("reason") ?? "")); }}>
              <label>Reason<select name="reason" defaultValue="Image too blurry to label" data-testid="skip-reason">
                <option>Image too blurry to label</option><option>Hands too small</option><option>Not a hand image</option><option>Duplicate of another image</option><option>Other</option>
              </select></label>
              <button type="submit" className="primary" data-testid="skip-confirm">Skip</button>
            </form>
          </RadixDialog.Content>
        </RadixDialog.Portal>
      </RadixDialog.Root>
    </div>
  );
}
