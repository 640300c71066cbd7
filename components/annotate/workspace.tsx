"use client";

import { useRouter } from "next/navigation";
import { useDeferredValue, useMemo, useReducer, useRef, useState } from "react";
import * as RadixDialog from "@radix-ui/react-dialog";
import { createEditor, dispatch as reduce, type TEditorCommand } from "@/lib/annotate/editor";
import type { TAnnotationDoc } from "@/lib/annotate/schema";
import { submitProblems } from "@/lib/annotate/submit-checks";
import { rescaleHand } from "@/lib/annotate/hand-ops";
import { JOINT_NAMES } from "@/lib/hand/skeleton";
import { annotationQualityFlags } from "@/lib/qc/annotation-flags";
import { QualityFlags } from "./quality-flags";
import { OTHER_HANDS, shortcutHint, type TOtherHands, type TUiAction } from "@/lib/annotate/shortcuts";
import { callApi } from "@/components/forms/call-api";
import { AnnotationCanvas, nextViewCommand, type TViewCommand } from "./annotation-canvas";
import { HandMetaPanel } from "./hand-meta-panel";
import { HelpDialog } from "./help-dialog";
import { useDeleteHand } from "./delete-hand-dialog";
import { SubmittedToast, announceSubmitted } from "./submitted-toast";
import { DisplayControls } from "./display-controls";
import { DEFAULT_DISPLAY } from "@/lib/annotate/display";
import { JointPanel } from "./joint-panel";
import { useActiveTime } from "./use-active-time";
import { useAutosave, type TSaveStatus } from "./use-autosave";
import { useShortcuts } from "./use-shortcuts";
import { UndoHistory } from "./undo-history";
import { IssueThreads, type TIssueView } from "@/components/review/issue-threads";
import { useHandDetector } from "./use-hand-detector";
import { newDetections, type TModelPrediction } from "@/lib/assist/mediapipe";
import { useRegionAssist } from "./use-region-assist";
import { refineDetections } from "./refine-detections";
import {
  boxForPartialHand,
  completeHand,
  defaultBoxAt,
  resultToHand,
  type TBox,
  type TRegionResult,
} from "@/lib/assist/region";
import {
  annotationSource,
  regionPredictionHand,
  tabOrder,
  uncertainJoints,
  viewIsModelSuggested,
  withPredictionHands,
} from "@/lib/assist/proposal";
import type { THand } from "@/lib/hand/schema";

export type TWorkspaceProps = {
  annotationId: string;
  projectId: string;
  image: { id: string; width: number; height: number };
  project: { name: string; gestures: string[]; handAttributes: string[]; imageFlags: string[] };
  initialDoc: TAnnotationDoc;
  initialVersion: number;
  /** The model's stored proposals for this annotation (pre-annotation, Detect, region assist), if any. */
  initialPrediction?: TModelPrediction | null;
  readOnly: boolean;
  returnedComment?: string | null;
  /** The reviewer's pins on returned work. */
  pins?: { x: number; y: number; handIndex: number | null; jointIndex: number | null; message: string }[];
  /** The annotator's progress: submissions today and images nobody has started. */
  progress?: { today: number; leftInQueue: number };
  /** Review issues on this annotation (threads the annotator can answer). */
  issues?: TIssueView[];
};

const STATUS_TEXT: Record<TSaveStatus, string> = {
  saved: "All changes saved",
  pending: "Unsaved changes…",
  saving: "Saving…",
  retrying: "Unsaved — retrying",
  conflict: "Conflict: not saved",
  refused: "Not saved",
};

/** Why a submission was refused while the latest edits are not saved, and what to do. */
function submitRefusedBySave(status: TSaveStatus): string {
  const why =
    status === "retrying"
      ? "your latest changes could not be saved (the save keeps retrying)"
      : status === "refused"
        ? "the server refused your latest changes (see below)"
        : status === "conflict"
          ? "someone else saved a newer version"
          : "your latest changes are not saved yet";
  return `Submission refused: ${why}. Nothing was submitted; submit again once the status reads "All changes saved".`;
}

/** The annotation workspace: editor state (lib/annotate), the Konva view, panels, autosave, shortcuts. */
export function Workspace(props: TWorkspaceProps) {
  const { annotationId, projectId, image, project } = props;
  const router = useRouter();
  const [state, send] = useReducer(reduce, undefined, () => createEditor(image, props.initialDoc));
  const activeTime = useActiveTime();
  // Model assistance (D, box assist): every proposal is kept in one prediction record, saved beside the labels;
  // the source saved with it stays true (manual once no hand still has a joint where the model put it).
  const detector = useHandDetector();
  const region = useRegionAssist();
  const prediction = useRef<TModelPrediction | null>(props.initialPrediction ?? null);
  const [predictionRevision, setPredictionRevision] = useState(0);
  const [detected, setDetected] = useState<{ text: string; ms: number; loaded: boolean } | null>(null);
  const [regionNote, setRegionNote] = useState<{ text: string; presence: number; confident: boolean } | null>(null);
  const [regionMode, setRegionMode] = useState(false);
  const [fingerMode, setFingerMode] = useState(false);
  const [handMode, setHandMode] = useState(false);
  const [regionBoxes, setRegionBoxes] = useState<{ box: TBox; kind: "running" | "manual" }[]>([]);
  const latestDoc = useRef(state.doc);
  latestDoc.current = state.doc;
  const autosave = useAutosave({
    annotationId,
    initialVersion: props.initialVersion,
    doc: state.doc,
    revision: state.revision,
    takeActiveMs: activeTime.take,
    giveBackActiveMs: activeTime.giveBack,
    extra: () =>
      prediction.current
        ? {
            source: annotationSource(latestDoc.current.hands, prediction.current),
            modelPrediction: prediction.current,
          }
        : null,
  });
  const [helpOpen, setHelpOpen] = useState(false);
  const [skipOpen, setSkipOpen] = useState(false);
  const [showProblems, setShowProblems] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [viewCommand, setViewCommand] = useState<TViewCommand | null>(null);
  const [blurPreview, setBlurPreview] = useState<string | null>(null);
  const [display, setDisplay] = useState(DEFAULT_DISPLAY);
  const [others, setOthers] = useState<TOtherHands>("shown");
  const cycleOthers = () =>
    setOthers((current) => OTHER_HANDS[(OTHER_HANDS.indexOf(current) + 1) % OTHER_HANDS.length]!);

  /** B: the display copy as an export would show it, fingertips blurred by the server's own code. */
  async function toggleBlurPreview() {
    if (blurPreview) {
      URL.revokeObjectURL(blurPreview);
      return setBlurPreview(null);
    }
    const response = await fetch(`/api/images/${image.id}/blur-preview`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ hands: state.doc.hands }),
    }).catch(() => null);
    if (!response?.ok) return setNotice("The blur preview could not be made; try again.");
    setBlurPreview(URL.createObjectURL(await response.blob()));
  }
  // The canvas follows every pointer move; panels and checks may lag a frame behind
  // (a deferred render is dropped when a newer move arrives), which keeps drags at the display rate.
  const panelState = useDeferredValue(state);
  const problems = useMemo(
    () => (showProblems ? submitProblems(panelState.doc, image) : []),
    [showProblems, panelState.doc, image],
  );
  const flags = useMemo(
    () => annotationQualityFlags(panelState.doc, image, { modelPrediction: prediction.current }).all,
    // predictionRevision: the prediction lives in a ref; a new proposal bumps it.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [panelState.doc, image, predictionRevision],
  );
  // Region assist's likely-wrong joints, per hand, while they are still where the model put them.
  const uncertain = useMemo(
    () => uncertainJoints(panelState.doc.hands, prediction.current),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [panelState.doc, predictionRevision],
  );
  const selectedUncertain = state.selection.hand !== null ? (uncertain[state.selection.hand] ?? []) : [];
  const jointOrder = selectedUncertain.length ? tabOrder(selectedUncertain) : undefined;

  const dispatch = (command: TEditorCommand) => {
    if (props.readOnly) return;
    // Tab visits the likely-wrong joints of the selected hand first.
    if (command.type === "cycleJoint" && !command.order && jointOrder) send({ ...command, order: jointOrder });
    else send(command);
  };

  function addProposals(hands: TModelPrediction["hands"], ms: number) {
    prediction.current = withPredictionHands(prediction.current, hands, { image, ms });
    setPredictionRevision((n) => n + 1);
  }

  const displaySrc = `/api/images/${image.id}/display`;
  const percent = (x: number) => `${Math.round(100 * x)} %`;
  const sideText = (r: TRegionResult) =>
    r.rightScore >= 0.5 ? `right hand ${percent(r.rightScore)}` : `left hand ${percent(1 - r.rightScore)}`;

  /** A median hand size on this image, for a click's default box. */
  function handSides(): number[] {
    return latestDoc.current.hands.flatMap((h) => (h.bbox ? [Math.max(h.bbox.width, h.bbox.height) / 1.2] : []));
  }

  /** Box assist: the network labels the hand in the box (or in a default box around a click). */
  async function assistRegion(region_: { box: TBox } | { point: { x: number; y: number } }) {
    if (props.readOnly || !region.available || region.status === "loading" || region.status === "running") return;
    const box = "box" in region_ ? region_.box : defaultBoxAt(region_.point, image, handSides());
    if (Math.max(box.width, box.height) < 8)
      return setNotice("Draw the box around the whole hand (this one is only a few pixels).");
    setRegionBoxes((boxes) => [...boxes.filter((b) => b.kind === "manual"), { box, kind: "running" }]);
    const result = await region.label(displaySrc, image, box);
    setRegionBoxes((boxes) => boxes.filter((b) => b.kind === "manual"));
    if (!result) return;
    addProposals([regionPredictionHand(result, image)], result.ms);
    const seconds = (result.ms / 1000).toFixed(1);
    if (!result.confident) {
      setRegionBoxes((boxes) => [...boxes, { box, kind: "manual" }]);
      dispatch({ type: "newHand" });
      return setRegionNote({
        presence: result.presence,
        confident: false,
        text: `Needs manual labelling: the model is not sure there is a hand in this box (presence ${percent(result.presence)}; ${seconds} s). A new hand is started — place its joints from the wrist.`,
      });
    }
    const hand = resultToHand(result, image);
    dispatch({ type: "pasteHands", hands: [hand] });
    const doubtful = uncertainJoints([hand], prediction.current)[0]?.length ?? 0;
    setRegionNote({
      presence: result.presence,
      confident: true,
      text: `Hand labelled from the box (presence ${percent(result.presence)}, ${sideText(result)}; ${seconds} s${result.loaded ? ", including loading the model" : ""}).${doubtful ? ` ${doubtful} joint${doubtful === 1 ? "" : "s"} the model was unsure of ${doubtful === 1 ? "is" : "are"} ringed — Tab visits ${doubtful === 1 ? "it" : "them"} first.` : ""} Check every joint before submitting.`,
    });
  }

  /** D on a selected, partly labelled hand: the network fills its missing joints; placed ones stay. */
  async function completeSelected(index: number, hand: THand) {
    const k = hand.keypoints;
    const placed = k.filter((p) => p.state !== "absent");
    const xs = placed.map((p) => p.x);
    const ys = placed.map((p) => p.y);
    const extent = Math.max(Math.max(...xs) - Math.min(...xs), Math.max(...ys) - Math.min(...ys));
    const palm =
      k[0]!.state !== "absent" && k[9]!.state !== "absent" ? Math.hypot(k[0]!.x - k[9]!.x, k[0]!.y - k[9]!.y) : 0;
    const sides = handSides().sort((a, b) => a - b);
    const minSide = palm
      ? 2 * palm
      : placed.length >= 2
        ? 1.3 * extent
        : (sides[Math.floor(sides.length / 2)] ?? 0.15 * Math.max(image.width, image.height));
    const box = boxForPartialHand(hand, Math.max(minSide, 8));
    if (!box) return;
    setRegionBoxes((boxes) => [...boxes.filter((b) => b.kind === "manual"), { box, kind: "running" }]);
    const anchors = k.map((p) => (p.state === "absent" ? null : { x: p.x, y: p.y }));
    const result = await region.label(displaySrc, image, box, { anchors });
    setRegionBoxes((boxes) => boxes.filter((b) => b.kind === "manual"));
    if (!result) return;
    addProposals([regionPredictionHand(result, image)], result.ms);
    // Against the hand as it is now: the annotator may have edited while the model ran.
    const current = latestDoc.current.hands[index];
    if (!current) return;
    if (!result.confident)
      return setRegionNote({
        presence: result.presence,
        confident: false,
        text: `Needs manual labelling: the model is not sure there is a hand around these joints (presence ${percent(result.presence)}). Place the missing joints by hand.`,
      });
    const completed = completeHand(current, result, image);
    const filled = completed.keypoints.filter(
      (p, j) => p.state !== "absent" && current.keypoints[j]!.state === "absent",
    ).length;
    dispatch({ type: "replaceHand", hand: index, value: completed });
    setRegionNote({
      presence: result.presence,
      confident: true,
      text: `Completed hand ${index + 1}: ${filled} missing joint${filled === 1 ? "" : "s"} filled, your ${placed.length} kept (presence ${percent(result.presence)}, ${sideText(result)}). Check them before submitting.`,
    });
  }

  async function takeNext(submitted = false) {
    if (submitted) announceSubmitted();
    const next = await callApi<{ annotationId: string | null; message?: string }>(
      "POST",
      `/api/projects/${projectId}/queue/claim`,
    );
    if (next.ok && next.data.annotationId) router.push(`/annotate/${next.data.annotationId}`);
    else router.push(`/projects/${projectId}/annotate?finished=1`);
  }

  async function submit() {
    if (busy || props.readOnly) return;
    setBusy(true);
    try {
      await autosave.flush();
      // Submitting hands in what the server has: with unsaved edits it would hand in an older version.
      if (autosave.dirty()) return setNotice(submitRefusedBySave(autosave.status));
      const found = submitProblems(state.doc, image);
      setShowProblems(true);
      if (found.length)
        return setNotice(
          `Not submitted: ${found.length} problem${found.length === 1 ? "" : "s"} to fix (marked in red).`,
        );
      const activeMs = activeTime.take();
      const result = await callApi("POST", `/api/annotations/${annotationId}/submit`, {
        version: autosave.version(),
        activeMs,
      });
      if (!result.ok) {
        activeTime.giveBack(activeMs);
        return setNotice(result.error);
      }
      await takeNext(true);
    } finally {
      setBusy(false);
    }
  }

  async function copyPrevious() {
    const result = await callApi<{ hands: TAnnotationDoc["hands"]; source: { width: number; height: number } | null }>(
      "GET",
      `/api/annotations/${annotationId}/previous-hands`,
    );
    if (!result.ok) return setNotice(result.error);
    const { hands, source } = result.data;
    if (hands.length === 0 || !source) return setNotice("No earlier labelled image of this subject to copy from.");
    dispatch({ type: "pasteHands", hands: hands.map((hand) => rescaleHand(hand, source, image)) });
    setNotice(
      `Copied ${result.data.hands.length} hand(s) from this subject's previous image; adjust them to this one.`,
    );
  }

  async function detect() {
    if (props.readOnly) return;
    const selectedIndex = state.selection.hand;
    const selected = selectedIndex !== null ? latestDoc.current.hands[selectedIndex] : undefined;
    const placedCount = selected ? selected.keypoints.filter((p) => p.state !== "absent").length : 0;
    if (selected && selectedIndex !== null && placedCount > 0 && placedCount < selected.keypoints.length) {
      // A partly labelled hand: complete it rather than add a second copy of it.
      if (!region.available || region.status === "loading" || region.status === "running") return;
      return completeSelected(selectedIndex, selected);
    }
    if (!detector.available || detector.status === "loading" || detector.status === "running") return;
    const result = await detector
      .detect(`/api/images/${image.id}/display`, image)
      .catch((error: Error) => (setNotice(error.message), null));
    if (!result) return;
    // Against the document as it is now: the annotator may have edited while the model ran.
    const labelled = latestDoc.current.hands.length;
    const fresh = newDetections(result.hands, latestDoc.current.hands);
    const seconds = (result.ms / 1000).toFixed(1);
    const timing = { ms: Math.round(result.ms), loaded: result.loaded };
    if (fresh.length === 0) {
      return setDetected({
        ...timing,
        text: result.hands.length
          ? `The model found no hand that is not labelled already (${seconds} s).`
          : `The model found no hand in this image (${seconds} s); label it by hand.`,
      });
    }
    const detectorHands = result.prediction.hands.map((h) => ({ ...h, via: "detector" as const }));
    if (prediction.current) addProposals(detectorHands, result.prediction.ms);
    else {
      prediction.current = { ...result.prediction, hands: detectorHands };
      setPredictionRevision((n) => n + 1);
    }
    const {
      hands: refinedHands,
      proposals,
      refined,
      ms: refineMs,
    } = region.available
      ? await refineDetections(
          region.label,
          displaySrc,
          image,
          fresh.map((d) => d.hand),
        )
      : { hands: fresh.map((d) => d.hand), proposals: [], refined: 0, ms: 0 };
    if (proposals.length) addProposals(proposals, refineMs);
    dispatch({ type: "pasteHands", hands: refinedHands });
    const list = fresh
      .map((d, i) => `${labelled + i + 1}: ${d.hand.handedness} ${Math.round(d.score * 100)} %`)
      .join(", ");
    setDetected({
      ...timing,
      text: `Model detected ${fresh.length} hand${fresh.length === 1 ? "" : "s"} (confidence ${list}; ${seconds} s${result.loaded ? ", including loading the model" : ""}${refined ? `; ${refined} refined by the box path` : ""}). Check every joint and the handedness before submitting.`,
    });
  }

  const ui = (action: TUiAction) => {
    if (action === "help") setHelpOpen(true);
    else if (action === "submit") void submit();
    else if (action === "copyPrevious") void copyPrevious();
    else if (action === "detect") void detect();
    else if (action === "regionMode") setRegionMode((on) => !on && !props.readOnly);
    else if (action === "fingerMode") {
      setFingerMode((on) => !on);
      setHandMode(false);
    } else if (action === "handMode") {
      setHandMode((on) => !on);
      setFingerMode(false);
    } else if (action === "toggleNoHands") dispatch({ type: "setNoHands", value: !state.doc.noHands });
    else if (action === "skip") setSkipOpen(true);
    else if (action === "blurPreview") void toggleBlurPreview();
    else if (action === "cycleOthers") cycleOthers();
    else if (action === "deleteHand") {
      if (!props.readOnly) deleteHand.ask();
    } else if (action === "zoomIn" || action === "zoomOut" || action === "zoomFit")
      setViewCommand(nextViewCommand(action));
  };
  const deleteHand = useDeleteHand(state, dispatch);
  useShortcuts({
    // The arrow keys move the selected joint as a drag in the current mode would.
    dispatch: (command) =>
      dispatch(
        command.type === "nudge" && (handMode || fingerMode)
          ? { ...command, mode: handMode ? "hand" : "finger" }
          : command,
      ),
    ui,
    disabled: helpOpen || skipOpen || deleteHand.asking || autosave.status === "conflict",
    selection: state.selection,
    jointOrder,
  });

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
        <a href={`/projects/${projectId}/annotate`} className="muted">
          ← {project.name}
        </a>
        <span className="row">
          <button
            type="button"
            onClick={() => dispatch({ type: "undo" })}
            disabled={state.history.past.length === 0}
            data-testid="button-undo"
            title={shortcutHint("undo")}
          >
            Undo
          </button>
          <button
            type="button"
            onClick={() => dispatch({ type: "redo" })}
            disabled={state.history.future.length === 0}
            data-testid="button-redo"
            title={shortcutHint("redo")}
          >
            Redo
          </button>
          <button
            type="button"
            onClick={() => dispatch({ type: "applyTemplate" })}
            data-testid="button-template"
            title={shortcutHint("template")}
          >
            Template
          </button>
          <button
            type="button"
            onClick={() => void copyPrevious()}
            data-testid="button-copy-previous"
            title={shortcutHint("copy-previous")}
          >
            Copy previous
          </button>
          <button
            type="button"
            onClick={() => void detect()}
            disabled={
              props.readOnly || !detector.available || detector.status === "loading" || detector.status === "running"
            }
            data-testid="button-detect"
            data-detector={detector.status}
            title={
              detector.available
                ? `${shortcutHint("detect")}: detect hands with the model (runs in this browser)`
                : "The hand model is unavailable"
            }
          >
            {detector.status === "loading"
              ? "Loading model…"
              : detector.status === "running"
                ? "Detecting…"
                : `Detect (${shortcutHint("detect")})`}
          </button>
          <button
            type="button"
            aria-pressed={regionMode}
            onClick={() => ui("regionMode")}
            disabled={props.readOnly || !region.available}
            data-testid="button-region"
            data-region={region.status}
            title={
              region.available
                ? `${shortcutHint("region-assist")}: drag a box around a hand (or click its centre) and the model labels it`
                : "Region assist is unavailable"
            }
          >
            {region.status === "loading"
              ? "Loading model…"
              : region.status === "running"
                ? "Labelling…"
                : `Box assist (${shortcutHint("region-assist")})`}
          </button>
          <button
            type="button"
            aria-pressed={fingerMode}
            onClick={() => ui("fingerMode")}
            disabled={props.readOnly}
            data-testid="button-finger"
            title={`${shortcutHint("finger-drag")} (or hold Alt): dragging a joint turns and stretches the rest of its finger about the joint before it`}
          >
            Finger drag ({shortcutHint("finger-drag")})
          </button>
          <button
            type="button"
            aria-pressed={handMode}
            onClick={() => ui("handMode")}
            disabled={props.readOnly}
            data-testid="button-hand-drag"
            title={`${shortcutHint("hand-drag")} (or hold Ctrl/⌘): dragging the wrist moves the whole hand, a finger base slides the knuckle row along the fingers, any other joint turns and scales the hand about the wrist`}
          >
            Hand drag ({shortcutHint("hand-drag")})
          </button>
          <button type="button" onClick={() => ui("zoomFit")} title={shortcutHint("zoom-fit")}>
            Fit
          </button>
          <button
            type="button"
            onClick={cycleOthers}
            data-testid="button-other-hands"
            title={shortcutHint("other-hands")}
          >
            Other hands: {others}
          </button>
          <button
            type="button"
            aria-pressed={!!blurPreview}
            onClick={() => void toggleBlurPreview()}
            data-testid="button-blur-preview"
            title={shortcutHint("blur-preview")}
          >
            Blur preview
          </button>
          <button
            type="button"
            onClick={() => setHelpOpen(true)}
            data-testid="button-help"
            title={shortcutHint("help")}
          >
            Shortcuts ({shortcutHint("help")})
          </button>
        </span>
        <span className="row">
          <span className={`save-status save-${autosave.status}`} role="status" data-testid="save-status">
            {STATUS_TEXT[autosave.status]}
          </span>
          {props.progress && (
            <span className="muted" data-testid="workspace-progress">
              {props.progress.today} today · {props.progress.leftInQueue} left in queue
            </span>
          )}
        </span>
        <span className="row">
          <button type="button" onClick={() => setSkipOpen(true)} disabled={props.readOnly} data-testid="button-skip">
            Skip…
          </button>
          <button
            type="button"
            className="primary"
            onClick={() => void submit()}
            disabled={busy || props.readOnly}
            data-testid="button-submit"
            title={shortcutHint("submit")}
          >
            Submit
          </button>
        </span>
      </header>
      <div className="workspace-body">
        <JointPanel state={panelState} dispatch={dispatch} editable={!props.readOnly} />
        <AnnotationCanvas
          imageId={image.id}
          imageSize={image}
          state={state}
          dispatch={dispatch}
          problems={problems}
          viewCommand={viewCommand}
          pins={props.pins}
          flags={flags}
          imageUrl={blurPreview}
          editable={!props.readOnly}
          display={display}
          others={others}
          regionMode={regionMode && !props.readOnly}
          onRegion={(r) => void assistRegion(r)}
          fingerMode={fingerMode}
          handMode={handMode}
          uncertain={uncertain}
          regionBoxes={regionBoxes}
        >
          {props.returnedComment && (
            <div className="alert" role="note" data-testid="returned-review">
              Returned by review: {props.returnedComment}
              {props.pins && props.pins.length > 0 && (
                <ol data-testid="returned-pins">
                  {props.pins.map((pin, i) => (
                    <li key={i}>
                      {pin.message}
                      {pin.jointIndex !== null ? ` (${JOINT_NAMES[pin.jointIndex]})` : ""}
                    </li>
                  ))}
                </ol>
              )}
            </div>
          )}
          {props.readOnly && (
            <div className="notice" role="status">
              This annotation was submitted; it is shown read-only.
            </div>
          )}
          {detector.message && (
            <div className="notice" role="status" data-testid="detect-unavailable">
              {detector.message}
            </div>
          )}
          {detected && !detector.message && (
            <div
              className="notice"
              role="status"
              data-testid="detect-result"
              data-ms={detected.ms}
              data-loaded={detected.loaded}
            >
              {detected.text}
            </div>
          )}
          {region.message && (
            <div className="notice" role="status" data-testid="region-unavailable">
              {region.message}
            </div>
          )}
          {regionNote && !region.message && (
            <div
              className={regionNote.confident ? "notice" : "alert"}
              role="status"
              data-testid="region-result"
              data-presence={regionNote.presence.toFixed(3)}
              data-confident={regionNote.confident}
            >
              {regionNote.text}
            </div>
          )}
          {(notice || autosave.message) && (
            <div className="alert" role="alert" data-testid="workspace-alert">
              {notice && <div data-testid="workspace-notice">{notice}</div>}
              {autosave.message && <div data-testid="save-message">{autosave.message}</div>}
              {showProblems && problems.length > 0 && (
                <ul data-testid="submit-problems">
                  {problems.map((p, i) => (
                    <li key={i}>{p.message}</li>
                  ))}
                </ul>
              )}
            </div>
          )}
        </AnnotationCanvas>
        <div className="annotate-panel" style={{ padding: 0 }}>
          {props.issues && props.issues.length > 0 && (
            <div style={{ padding: "var(--space-2) var(--space-3) 0" }}>
              <IssueThreads issues={props.issues} postUrl={`/api/annotations/${annotationId}/issues`} as="annotator" />
            </div>
          )}
          <div style={{ padding: "var(--space-2) var(--space-3)" }}>
            <QualityFlags flags={flags} />
          </div>
          <div style={{ padding: "0 var(--space-3)" }}>
            <DisplayControls display={display} onChange={setDisplay} />
          </div>
          <div style={{ padding: "0 var(--space-3)" }}>
            <UndoHistory state={state} dispatch={dispatch} disabled={props.readOnly} />
          </div>
          <HandMetaPanel
            state={state}
            dispatch={dispatch}
            gestures={project.gestures}
            handAttributes={project.handAttributes}
            imageFlags={project.imageFlags}
            viewSuggested={(hand) => viewIsModelSuggested(hand, prediction.current)}
            onDeleteHand={deleteHand.ask}
          />
        </div>
      </div>
      <HelpDialog open={helpOpen} onOpenChange={setHelpOpen} />
      {deleteHand.dialog}
      <SubmittedToast progress={props.progress} />
      <RadixDialog.Root open={autosave.status === "conflict"}>
        <RadixDialog.Portal>
          <RadixDialog.Overlay className="dialog-overlay" />
          <RadixDialog.Content className="dialog-content card stack" data-testid="conflict-dialog">
            <RadixDialog.Title style={{ margin: 0 }}>Someone else saved this annotation</RadixDialog.Title>
            <RadixDialog.Description>
              Another tab or person saved a newer version while you were editing. Nothing was overwritten. Choose which
              version to keep.
            </RadixDialog.Description>
            <div className="row">
              <button
                type="button"
                onClick={() => {
                  const theirs = autosave.conflict!.doc;
                  send({ type: "load", doc: theirs });
                  autosave.takeTheirs(0);
                }}
                data-testid="conflict-take-theirs"
              >
                Load the newer version
              </button>
              <button
                type="button"
                className="primary"
                onClick={() => void autosave.keepMine()}
                data-testid="conflict-keep-mine"
              >
                Keep mine (replace theirs)
              </button>
            </div>
          </RadixDialog.Content>
        </RadixDialog.Portal>
      </RadixDialog.Root>
      <RadixDialog.Root open={skipOpen} onOpenChange={setSkipOpen}>
        <RadixDialog.Portal>
          <RadixDialog.Overlay className="dialog-overlay" />
          <RadixDialog.Content className="dialog-content card stack" data-testid="skip-dialog">
            <RadixDialog.Title style={{ margin: 0 }}>Skip this image</RadixDialog.Title>
            <RadixDialog.Description className="muted">
              It goes back to the queue for someone else.
            </RadixDialog.Description>
            <form
              className="form"
              onSubmit={(e) => {
                e.preventDefault();
                void skip(String(new FormData(e.currentTarget).get("reason") ?? ""));
              }}
            >
              <label>
                Reason
                <select name="reason" defaultValue="Image too blurry to label" data-testid="skip-reason">
                  <option>Image too blurry to label</option>
                  <option>Hands too small</option>
                  <option>Not a hand image</option>
                  <option>Duplicate of another image</option>
                  <option>Other</option>
                </select>
              </label>
              <button type="submit" className="primary" data-testid="skip-confirm">
                Skip
              </button>
            </form>
          </RadixDialog.Content>
        </RadixDialog.Portal>
      </RadixDialog.Root>
    </div>
  );
}
