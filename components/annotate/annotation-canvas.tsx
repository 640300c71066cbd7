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
}) {
  const container = useRef<HTMLDivElement>(null);
  const [view, setView] = useState({ width: 800, height: 600 });
  const [camera, setCamera] = useState<TCamera>({ x: 0, y: 0, scale: 1 });
  const [pointer, setPointer] = useState<{ x: number; y: number } | null>(null);
  const [hover, setHover] = useState<{ hand: number; joint: number } | null>(null);
  const [spaceHeld, setSpaceHeld] = useState(false);
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
    else if (event.kind === "click") send({ type: "selectJoint", hand: event.hand, joint: event.joint });
    else if (!latestEditable.current) return;
    else if (event.kind === "dragStart") {
      dragging.current = true;
      send({ type: "beginDrag", hand: event.hand, joint: event.joint });
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
    };
    const up = (event: KeyboardEvent) => {
      if (event.key === " ") setSpaceHeld(false);
    };
    window.addEventListener("keydown", down);
    window.addEventListener("keyup", up);
    return () => {
      window.removeEventListener("keydown", down);
      window.removeEventListener("keyup", up);
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
    }
  };
  const onMouseMove = (event: Konva.KonvaEventObject<MouseEvent>) => {
    setPointer(event.target.getStage()!.getPointerPosition());
    if (!pan.current) return;
    const dx = event.evt.clientX - pan.current.start.x;
    const dy = event.evt.clientY - pan.current.start.y;
    if (Math.abs(dx) + Math.abs(dy) > 2) panned.current = true;
    setCamera({ ...pan.current.camera, x: pan.current.camera.x + dx, y: pan.current.camera.y + dy });
  };
  const onMouseUp = () => {
    pan.current = null;
  };
  const onStageClick = (event: Konva.KonvaEventObject<MouseEvent>) => {
    if (event.evt.button !== 0 || panned.current || spaceHeld) return;
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
      // Focusable, so Tab and the arrow keys act on joints only while the canvas has focus.
      tabIndex={0}
      role="application"
      aria-label="Image and labels. Tab and Shift+Tab select joints, arrow keys nudge the selected joint, ? lists every shortcut."
      style={{ cursor: pan.current || spaceHeld ? "grab" : placing ? "crosshair" : "default" }}
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
                interactive={!placing && !spaceHeld && (others === "shown" || activeHand === null || h === activeHand)}
                editable={editable}
                boxRef={activeBox}
                onEvent={onJointEvent}
              />
            ))}
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
