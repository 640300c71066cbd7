"use client";

import type Konva from "konva";
import { useCallback, useEffect, useRef, useState, type ReactNode } from "react";
import { Circle, Group, Image as KonvaImage, Layer, Line, Rect, Stage, Text, Transformer } from "react-konva";
import type { TEditorCommand, TEditorState } from "@/lib/annotate/editor";
import type { TSubmitProblem } from "@/lib/annotate/submit-checks";
import { JOINT_NAMES } from "@/lib/hand/skeleton";
import type { THandFlag } from "@/lib/qc/annotation-flags";
import { fitCamera, toImage, zoomAt, type TCamera } from "./camera";
import type { TOtherHands } from "@/lib/annotate/shortcuts";
import { GAMMA_FILTER_ID, clampDisplay, displayFilter, type TDisplay } from "@/lib/annotate/display";
import { HandShape, type TJointEvent } from "./hand-shape";

export type TViewCommand = { kind: "zoomIn" | "zoomOut" | "zoomFit"; nonce: number };
/** The state update for a zoom key: a fresh nonce so pressing the same key twice moves the camera twice. */
export const nextViewCommand =
  (kind: TViewCommand["kind"]) =>
  (previous: TViewCommand | null): TViewCommand => ({ kind, nonce: (previous?.nonce ?? 0) + 1 });
/** A reviewer's pin: a numbered marker on the image with a message. */
export type TCanvasPin = { x: number; y: number; message: string };

const LOUPE_RADIUS = 70;
const LOUPE_ZOOM = 4;

/** The part of the display bitmap (which may be smaller than the original) around `centre`. */
function loupeCrop(
  image: HTMLImageElement,
  size: { width: number; height: number },
  centre: { x: number; y: number },
  half: number,
) {
  const ratio = image.naturalWidth / size.width;
  return {
    x: (centre.x - half) * ratio,
    y: (centre.y - half) * ratio,
    width: 2 * half * ratio,
    height: 2 * half * ratio,
  };
}

/** Hand indices in drawing order: the active hand last (on top), so its joints win a press. */
function drawOrder(count: number, active: number | null): number[] {
  const order = Array.from({ length: count }, (_, h) => h);
  if (active !== null && active < count) order.push(...order.splice(active, 1));
  return order;
}

function useHtmlImage(src: string) {
  const [image, setImage] = useState<HTMLImageElement | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    const element = new window.Image();
    element.onload = () => setImage(element);
    element.onerror = () => setFailed(true);
    element.src = src;
  }, [src]);
  return { image, failed };
}

/**
 * The Konva view of the editor: draws `state`, turns pointer events into commands. Keeps only view
 * state of its own (camera, hover, pointer for the loupe); the document lives in lib/annotate.
 */
export function AnnotationCanvas({
  imageId,
  imageSize,
  state,
  dispatch,
  problems,
  viewCommand,
  pins = [],
  flags = [],
  imageUrl,
  editable = true,
  children,
  display,
  others = "shown",
  regionMode = false,
  onRegion,
  fingerMode = false,
  handMode = false,
  uncertain = [],
  regionBoxes = [],
}: {
  imageId: string;
  imageSize: { width: number; height: number };
  state: TEditorState;
  dispatch: (command: TEditorCommand) => void;
  problems: TSubmitProblem[];
  viewCommand: TViewCommand | null;
  pins?: TCanvasPin[];
  /** Quality flags: their joints get a ring (red when strong, amber for a warning). */
  flags?: THandFlag[];
  /** Shown instead of the display copy (e.g. the blur preview). */
  imageUrl?: string | null;
  /** False: joints and boxes can be selected but not dragged (review outside "Fix labels"). */
  editable?: boolean;
  /** Hands other than the active one: drawn, drawn but not pressable, or left out. */
  others?: TOtherHands;
  /** Brightness, contrast and gamma of the photo only (lib/annotate/display.ts). */
  display?: TDisplay;
  /** Notices laid over the top of the canvas: they never change its size, so the image never moves under the pointer. */
  children?: ReactNode;
  /** Region assist: a drag on the image draws a box, a click asks for a default box there. */
  regionMode?: boolean;
  onRegion?: (
    region: { box: { x: number; y: number; width: number; height: number } } | { point: { x: number; y: number } },
  ) => void;
  /** Joint drags move the finger from the dragged joint to its tip (also while Alt is held). */
  fingerMode?: boolean;
  /** Joint drags are hand drags (lib/annotate/hand-drag.ts; also while Ctrl or ⌘ is held). */
  handMode?: boolean;
  /** Per hand: joints region assist was unsure of (dashed ring). */
  uncertain?: readonly (readonly number[])[];
  /** Boxes to outline: region assist running on one, or one the network found no hand in. */
  regionBoxes?: readonly { box: { x: number; y: number; width: number; height: number }; kind: "running" | "manual" }[];
}) {
  const container = useRef<HTMLDivElement>(null);
  const [view, setView] = useState({ width: 800, height: 600 });
  const [camera, setCamera] = useState<TCamera>({ x: 0, y: 0, scale: 1 });
  const [pointer, setPointer] = useState<{ x: number; y: number } | null>(null);
  const [hover, setHover] = useState<{ hand: number; joint: number } | null>(null);
  const [spaceHeld, setSpaceHeld] = useState(false);
  const [altHeld, setAltHeld] = useState(false);
  const [modHeld, setModHeld] = useState(false);
  const regionStart = useRef<{ image: { x: number; y: number }; screen: { x: number; y: number } } | null>(null);
  const [regionRect, setRegionRect] = useState<{ x: number; y: number; width: number; height: number } | null>(null);
  const latestFinger = useRef(false);
  latestFinger.current = fingerMode || altHeld;
  const latestHand = useRef(false);
  latestHand.current = handMode || modHeld;
  const pan = useRef<{ start: { x: number; y: number }; camera: TCamera } | null>(null);
  const panned = useRef(false);
  const dragging = useRef(false);
  const activeBox = useRef<Konva.Rect>(null);
  const imageLayer = useRef<Konva.Layer>(null);
  const filter = display ? displayFilter(display) : "";
  const gamma = display ? clampDisplay(display).gamma : 1;
  // Each Konva layer is its own <canvas>: filtering the image layer leaves joint and bone colours true.
  useEffect(() => {
    const element = imageLayer.current?.getCanvas()._canvas;
    if (element) element.style.filter = filter;
  }, [filter]);
  const boxTransformer = useRef<Konva.Transformer>(null);
  const { image, failed } = useHtmlImage(imageUrl ?? `/api/images/${imageId}/display`);
  // Hands receive one stable handler (memoised HandShape); it always calls the latest dispatch.
  const latestDispatch = useRef(dispatch);
  latestDispatch.current = dispatch;
  const latestEditable = useRef(editable);
  latestEditable.current = editable;
  const onJointEvent = useCallback((event: TJointEvent) => {
    const send = latestDispatch.current;
    if (event.kind === "enter") setHover({ hand: event.hand, joint: event.joint });
    else if (event.kind === "leave") setHover(null);
    else if (event.kind === "click" && !(event.shift && latestEditable.current))
      send({ type: "selectJoint", hand: event.hand, joint: event.joint });
    else if (!latestEditable.current) return;
    else if (event.kind === "click")
      // Shift+click: this joint is absent; in finger drag mode, it and the rest of its finger (one action).
      send({ type: "markJointsAbsent", hand: event.hand, joint: event.joint, finger: latestFinger.current });
    else if (event.kind === "dragStart") {
      dragging.current = true;
      send({
        type: "beginDrag",
        hand: event.hand,
        joint: event.joint,
        mode: latestHand.current ? "hand" : latestFinger.current ? "finger" : "joint",
      });
    } else if (event.kind === "dragMove") send({ type: "dragTo", x: event.x, y: event.y });
    else if (event.kind === "dragEnd") {
      dragging.current = false;
      send({ type: "dragTo", x: event.x, y: event.y });
      send({ type: "endDrag" });
    } else if (event.kind === "box") send({ type: "setBbox", bbox: event.bbox });
  }, []);

  useEffect(() => {
    const element = container.current!;
    const observer = new ResizeObserver(([entry]) => {
      const size = { width: Math.max(200, entry.contentRect.width), height: Math.max(200, entry.contentRect.height) };
      setView(size);
      setCamera((current) => (current.scale === 1 && current.x === 0 ? fitCamera(size, imageSize) : current));
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, [imageSize]);

  // Attach the box handles to the active hand's box whenever either changes.
  useEffect(() => {
    const transformer = boxTransformer.current;
    if (!transformer) return;
    transformer.nodes(activeBox.current ? [activeBox.current] : []);
    transformer.getLayer()?.batchDraw();
  });

  useEffect(() => {
    if (!viewCommand) return;
    const centre = { x: view.width / 2, y: view.height / 2 };
    if (viewCommand.kind === "zoomFit") setCamera(fitCamera(view, imageSize));
    else setCamera((current) => zoomAt(current, pointer ?? centre, viewCommand.kind === "zoomIn" ? 1.25 : 0.8));
    // Only a new command (nonce) should move the camera, not pointer moves.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [viewCommand?.nonce]);

  useEffect(() => {
    const isTyping = (target: EventTarget | null) =>
      target instanceof HTMLElement && /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName);
    const down = (event: KeyboardEvent) => {
      if (event.key === " " && !isTyping(event.target)) {
        event.preventDefault();
        setSpaceHeld(true);
      }
      if (event.key === "Alt") setAltHeld(true);
      if (event.key === "Control" || event.key === "Meta") setModHeld(true);
    };
    const up = (event: KeyboardEvent) => {
      if (event.key === " ") setSpaceHeld(false);
      if (event.key === "Alt") setAltHeld(false);
      if (event.key === "Control" || event.key === "Meta") setModHeld(false);
    };
    // A key released while the window is in the background never sends keyup.
    const blur = () => {
      setAltHeld(false);
      setModHeld(false);
    };
    window.addEventListener("blur", blur);
    window.addEventListener("keydown", down);
    window.addEventListener("keyup", up);
    return () => {
      window.removeEventListener("keydown", down);
      window.removeEventListener("keyup", up);
      window.removeEventListener("blur", blur);
    };
  }, []);

  const onWheel = useCallback((event: Konva.KonvaEventObject<WheelEvent>) => {
    event.evt.preventDefault();
    const anchor = event.target.getStage()!.getPointerPosition()!;
    setCamera((current) => zoomAt(current, anchor, event.evt.deltaY < 0 ? 1.15 : 1 / 1.15));
  }, []);

  const onMouseDown = (event: Konva.KonvaEventObject<MouseEvent>) => {
    panned.current = false;
    if (event.evt.button === 1 || spaceHeld) {
      event.evt.preventDefault();
      pan.current = { start: { x: event.evt.clientX, y: event.evt.clientY }, camera };
    } else if (regionMode && event.evt.button === 0) {
      const screen = event.target.getStage()!.getPointerPosition()!;
      regionStart.current = { image: toImage(camera, screen), screen };
      setRegionRect(null);
    }
  };
  const onMouseMove = (event: Konva.KonvaEventObject<MouseEvent>) => {
    setPointer(event.target.getStage()!.getPointerPosition());
    if (regionStart.current) {
      const here = toImage(camera, event.target.getStage()!.getPointerPosition()!);
      const start = regionStart.current.image;
      setRegionRect({
        x: Math.min(start.x, here.x),
        y: Math.min(start.y, here.y),
        width: Math.abs(here.x - start.x),
        height: Math.abs(here.y - start.y),
      });
    }
    if (!pan.current) return;
    const dx = event.evt.clientX - pan.current.start.x;
    const dy = event.evt.clientY - pan.current.start.y;
    if (Math.abs(dx) + Math.abs(dy) > 2) panned.current = true;
    setCamera({ ...pan.current.camera, x: pan.current.camera.x + dx, y: pan.current.camera.y + dy });
  };
  const onMouseUp = (event: Konva.KonvaEventObject<MouseEvent>) => {
    pan.current = null;
    const start = regionStart.current;
    regionStart.current = null;
    if (!start) return;
    setRegionRect(null);
    const screen = event.target.getStage()!.getPointerPosition() ?? start.screen;
    const here = toImage(camera, screen);
    // A press that hardly moved is a click: a default-size box centred there.
    if (Math.hypot(screen.x - start.screen.x, screen.y - start.screen.y) < 6) onRegion?.({ point: start.image });
    else
      onRegion?.({
        box: {
          x: Math.min(start.image.x, here.x),
          y: Math.min(start.image.y, here.y),
          width: Math.abs(here.x - start.image.x),
          height: Math.abs(here.y - start.image.y),
        },
      });
  };
  const onStageClick = (event: Konva.KonvaEventObject<MouseEvent>) => {
    if (event.evt.button !== 0 || panned.current || spaceHeld || regionMode) return;
    const point = toImage(camera, event.target.getStage()!.getPointerPosition()!);
    dispatch({ type: "canvasClick", x: point.x, y: point.y });
  };

  const { doc, selection, placement } = state;
  const activeHand = placement?.hand ?? selection.hand;
  const placing = placement !== null;
  const s = camera.scale;
  const problemHands = new Set(problems.filter((p) => p.hand !== undefined).map((p) => p.hand));
  const flaggedJoints = new Map<string, "strong" | "warning">();
  for (const f of flags)
    for (const joint of f.joints) {
      const key = `${f.hand}-${joint}`;
      if (flaggedJoints.get(key) !== "strong") flaggedJoints.set(key, f.severity);
    }
  const showLoupe = pointer && (placing || dragging.current);
  const loupeImage = pointer ? toImage(camera, pointer) : null;

  return (
    <div
      ref={container}
      className="annotate-canvas"
      data-testid="annotate-canvas"
      data-camera={JSON.stringify(camera)}
      data-image-source={imageUrl ? "blur-preview" : "display"}
      data-image-filter={filter}
      data-other-hands={others}
      data-region-mode={regionMode}
      data-finger-mode={fingerMode || altHeld}
      data-hand-mode={handMode || modHeld}
      data-uncertain={JSON.stringify(uncertain)}
      // Focusable, so Tab and the arrow keys act on joints only while the canvas has focus.
      tabIndex={0}
      role="application"
      aria-label="Image and labels. Tab and Shift+Tab select joints, arrow keys nudge the selected joint, ? lists every shortcut."
      style={{ cursor: pan.current || spaceHeld ? "grab" : placing || regionMode ? "crosshair" : "default" }}
    >
      <div className="canvas-notices" data-testid="canvas-notices">
        {children}
      </div>
      <svg width="0" height="0" style={{ position: "absolute" }} aria-hidden="true">
        <filter id={GAMMA_FILTER_ID}>
          <feComponentTransfer>
            {(["feFuncR", "feFuncG", "feFuncB"] as const).map((Func) => (
              <Func key={Func} type="gamma" amplitude={1} exponent={1 / gamma} offset={0} />
            ))}
          </feComponentTransfer>
        </filter>
      </svg>
      {failed && (
        <div className="alert" role="alert" style={{ position: "absolute", zIndex: 2, margin: 8 }}>
          The image could not be loaded. Reload the page; if it persists, the image may have been withdrawn.
        </div>
      )}
      <Stage
        id="annotation-stage"
        width={view.width}
        height={view.height}
        onWheel={onWheel}
        onMouseDown={onMouseDown}
        onMouseMove={onMouseMove}
        onMouseUp={onMouseUp}
        onMouseLeave={() => {
          setPointer(null);
          pan.current = null;
          regionStart.current = null;
          setRegionRect(null);
        }}
        onClick={onStageClick}
      >
        <Layer ref={imageLayer} x={camera.x} y={camera.y} scaleX={s} scaleY={s} listening={false}>
          {image && <KonvaImage image={image} width={imageSize.width} height={imageSize.height} />}
        </Layer>
        <Layer x={camera.x} y={camera.y} scaleX={s} scaleY={s}>
          {drawOrder(doc.hands.length, activeHand)
            .filter((h) => others !== "hidden" || activeHand === null || h === activeHand)
            .map((h) => (
              <HandShape
                key={h}
                hand={doc.hands[h]}
                index={h}
                active={activeHand === h}
                dimmed={activeHand !== null && activeHand !== h}
                selectedJoint={selection.hand === h ? selection.joint : null}
                problemJoints={problems
                  .filter((p) => p.hand === h && p.joint !== undefined)
                  .map((p) => p.joint)
                  .join(",")}
                flaggedJoints={[...flaggedJoints]
                  .filter(([key]) => key.startsWith(`${h}-`))
                  .map(([key, severity]) => `${key.split("-")[1]}:${severity}`)
                  .join(",")}
                problemHand={problemHands.has(h)}
                scale={s}
                interactive={
                  !placing &&
                  !spaceHeld &&
                  !regionMode &&
                  (others === "shown" || activeHand === null || h === activeHand)
                }
                editable={editable}
                boxRef={activeBox}
                onEvent={onJointEvent}
              />
            ))}
          {uncertain.flatMap((joints, h) =>
            (others !== "hidden" || activeHand === null || h === activeHand) && doc.hands[h]
              ? joints
                  .filter((j) => doc.hands[h]!.keypoints[j]?.state !== "absent")
                  .map((j) => (
                    <Circle
                      key={`uncertain-${h}-${j}`}
                      name="uncertain-ring"
                      x={doc.hands[h]!.keypoints[j]!.x}
                      y={doc.hands[h]!.keypoints[j]!.y}
                      radius={10 / s}
                      stroke="#ff9f1c"
                      strokeWidth={1.5 / s}
                      dash={[4 / s, 3 / s]}
                      listening={false}
                    />
                  ))
              : [],
          )}
          {[...regionBoxes, ...(regionRect ? [{ box: regionRect, kind: "running" as const }] : [])].map(
            ({ box, kind }, i) => (
              <Rect
                key={`region-${i}`}
                name={`region-box-${kind}`}
                x={box.x}
                y={box.y}
                width={box.width}
                height={box.height}
                stroke={kind === "manual" ? "#ff6b6b" : "#4cc9f0"}
                strokeWidth={1.5 / s}
                dash={[6 / s, 4 / s]}
                listening={false}
              />
            ),
          )}
          {placement && (
            // The keyboard cursor: Enter places the joint here.
            <Group x={placement.cursor.x} y={placement.cursor.y} name="placement-cursor" listening={false}>
              <Line points={[-12 / s, 0, -4 / s, 0]} stroke="#ffd166" strokeWidth={1.5 / s} />
              <Line points={[4 / s, 0, 12 / s, 0]} stroke="#ffd166" strokeWidth={1.5 / s} />
              <Line points={[0, -12 / s, 0, -4 / s]} stroke="#ffd166" strokeWidth={1.5 / s} />
              <Line points={[0, 4 / s, 0, 12 / s]} stroke="#ffd166" strokeWidth={1.5 / s} />
            </Group>
          )}
          {pins.map((pin, index) => (
            <Group key={`pin-${index}`} x={pin.x} y={pin.y} name={`pin-${index}`} listening={false}>
              <Circle radius={9 / s} fill="#ff6b6b" stroke="#fff" strokeWidth={1.5 / s} />
              <Text text={String(index + 1)} fontSize={11 / s} fill="#fff" x={-3.5 / s} y={-5.5 / s} />
            </Group>
          ))}
          {editable && activeHand !== null && !placing && doc.hands[activeHand]?.bbox && (
            <Transformer
              ref={boxTransformer}
              rotateEnabled={false}
              keepRatio={false}
              flipEnabled={false}
              anchorSize={8}
              borderEnabled={false}
            />
          )}
          {hover && doc.hands[hover.hand] && (
            <Text
              x={doc.hands[hover.hand].keypoints[hover.joint].x + 8 / s}
              y={doc.hands[hover.hand].keypoints[hover.joint].y - 18 / s}
              text={JOINT_NAMES[hover.joint]}
              fontSize={13 / s}
              fill="#fff"
              shadowColor="#000"
              shadowBlur={3}
              listening={false}
            />
          )}
        </Layer>
        <Layer listening={false}>
          {showLoupe && image && loupeImage && (
            <Group
              x={Math.min(view.width - LOUPE_RADIUS - 4, pointer.x + LOUPE_RADIUS + 24)}
              y={Math.max(LOUPE_RADIUS + 4, pointer.y - LOUPE_RADIUS - 24)}
              clipFunc={(context) => {
                context.arc(0, 0, LOUPE_RADIUS, 0, Math.PI * 2);
              }}
            >
              <Rect
                x={-LOUPE_RADIUS}
                y={-LOUPE_RADIUS}
                width={LOUPE_RADIUS * 2}
                height={LOUPE_RADIUS * 2}
                fill="#0e0f11"
              />
              <KonvaImage
                // Only the small square under the pointer is sampled from the display copy.
                image={image}
                crop={loupeCrop(image, imageSize, loupeImage, LOUPE_RADIUS / (s * LOUPE_ZOOM))}
                x={-LOUPE_RADIUS}
                y={-LOUPE_RADIUS}
                width={LOUPE_RADIUS * 2}
                height={LOUPE_RADIUS * 2}
              />
              <Line points={[-10, 0, 10, 0]} stroke="#ffd166" strokeWidth={1} />
              <Line points={[0, -10, 0, 10]} stroke="#ffd166" strokeWidth={1} />
              <Circle radius={LOUPE_RADIUS} stroke="#ffd166" strokeWidth={2} />
            </Group>
          )}
        </Layer>
      </Stage>
    </div>
  );
}
