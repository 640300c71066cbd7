"use client";

import type Konva from "konva";
import { memo, type RefObject } from "react";
import { Circle, Group, Line, Rect } from "react-konva";
import type { THand } from "@/lib/hand/schema";
import { BONES } from "@/lib/hand/skeleton";
import { boneColour, jointColour } from "./finger-colours";

export const JOINT_RADIUS = 5;

export type TJointEvent =
  | { kind: "enter" | "leave" | "dragStart"; hand: number; joint: number }
  /** `shift`: Shift was held (marks the joint absent). */
  | { kind: "click"; hand: number; joint: number; shift: boolean }
  | { kind: "dragMove" | "dragEnd"; hand: number; joint: number; x: number; y: number }
  | { kind: "box"; hand: number; bbox: { x: number; y: number; width: number; height: number } };

type THandShapeProps = {
  hand: THand;
  index: number;
  active: boolean;
  dimmed: boolean;
  selectedJoint: number | null;
  /** Joints to ring: "j" for submit problems, "j:strong" / "j:warning" for quality flags (comma-separated, so memo compares strings). */
  problemJoints: string;
  flaggedJoints: string;
  problemHand: boolean;
  scale: number;
  interactive: boolean;
  /** Joints and the box can be dragged (false in review outside "Fix labels", and for read-only work). */
  editable: boolean;
  boxRef: RefObject<Konva.Rect | null> | undefined;
  /** Stable across renders, so only hands whose data changed redraw during a drag. */
  onEvent: (event: TJointEvent) => void;
};

/**
 * One hand: box, bones and joints. Memoised: moving a joint re-renders only its own hand.
 * `perfectDrawEnabled` is off because dimmed hands (group opacity) would otherwise draw every
 * filled-and-stroked circle through an offscreen buffer (bench/workspace.ts: half the draw time).
 */
export const HandShape = memo(function HandShape(props: THandShapeProps) {
  const { hand, index: h, scale: s, interactive, editable, onEvent } = props;
  // Konva gives a press to the topmost shape: the selected joint is drawn last, so it wins a drag
  // over a joint lying on top of it.
  const order = hand.keypoints.map((_, j) => j);
  if (props.selectedJoint !== null) order.push(...order.splice(props.selectedJoint, 1));
  const problems = new Set(props.problemJoints.split(",").filter(Boolean).map(Number));
  const flags = new Map(
    props.flaggedJoints
      .split(",")
      .filter(Boolean)
      .map((entry) => entry.split(":"))
      .map(([j, severity]) => [Number(j), severity]),
  );
  return (
    <Group opacity={props.dimmed ? 0.45 : 1} name={`hand-${h}`}>
      {hand.bbox && (
        <Rect
          ref={props.active ? props.boxRef : undefined}
          name={`bbox-${h}`}
          x={hand.bbox.x}
          y={hand.bbox.y}
          width={hand.bbox.width}
          height={hand.bbox.height}
          stroke={props.problemHand ? "#ff6b6b" : props.active ? "#ffd166" : "#9aa0a6"}
          strokeWidth={1.5 / s}
          hitStrokeWidth={8 / s}
          dash={hand.bboxEdited ? undefined : [6 / s, 4 / s]}
          perfectDrawEnabled={false}
          // The active hand's box can be moved by its border and resized by its handles.
          listening={props.active && interactive && editable}
          draggable={props.active && interactive && editable}
          onDragEnd={(event) =>
            onEvent({
              kind: "box",
              hand: h,
              bbox: { x: event.target.x(), y: event.target.y(), width: hand.bbox!.width, height: hand.bbox!.height },
            })
          }
          onTransformEnd={(event) => {
            const node = event.target;
            const bbox = {
              x: node.x(),
              y: node.y(),
              width: node.width() * node.scaleX(),
              height: node.height() * node.scaleY(),
            };
            node.scale({ x: 1, y: 1 });
            onEvent({ kind: "box", hand: h, bbox });
          }}
        />
      )}
      {BONES.map(([from, to]) => {
        const a = hand.keypoints[from];
        const b = hand.keypoints[to];
        if (a.state === "absent" || b.state === "absent") return null;
        return (
          <Line
            key={`${from}-${to}`}
            points={[a.x, a.y, b.x, b.y]}
            stroke={boneColour(to)}
            strokeWidth={2.5 / s}
            listening={false}
            perfectDrawEnabled={false}
            dash={a.state === "occluded" || b.state === "occluded" ? [5 / s, 4 / s] : undefined}
          />
        );
      })}
      {order.map((j) => {
        const point = hand.keypoints[j];
        if (point.state === "absent") return null;
        const selected = props.selectedJoint === j;
        return (
          <Group key={j}>
            {problems.has(j) && (
              <Circle
                x={point.x}
                y={point.y}
                radius={(JOINT_RADIUS + 5) / s}
                stroke="#ff6b6b"
                strokeWidth={2 / s}
                listening={false}
                perfectDrawEnabled={false}
              />
            )}
            {flags.has(j) && (
              <Circle
                x={point.x}
                y={point.y}
                radius={(JOINT_RADIUS + 8) / s}
                stroke={flags.get(j) === "strong" ? "#ff4d4d" : "#f2c14e"}
                strokeWidth={1.5 / s}
                dash={[3 / s, 2 / s]}
                listening={false}
                perfectDrawEnabled={false}
                name={`flag-${h}-${j}`}
              />
            )}
            <Circle
              name={`joint-${h}-${j}`}
              x={point.x}
              y={point.y}
              radius={(selected ? JOINT_RADIUS + 2 : JOINT_RADIUS) / s}
              hitStrokeWidth={8 / s}
              perfectDrawEnabled={false}
              fill={point.state === "visible" ? jointColour(j) : undefined}
              stroke={selected ? "#ffd166" : point.state === "occluded" ? jointColour(j) : "#111"}
              strokeWidth={(point.state === "occluded" ? 2.5 : 1.2) / s}
              // While placing, clicks must reach the stage even on top of another joint.
              listening={interactive}
              draggable={interactive && editable}
              onMouseEnter={() => onEvent({ kind: "enter", hand: h, joint: j })}
              onMouseLeave={() => onEvent({ kind: "leave", hand: h, joint: j })}
              onClick={(event) => {
                event.cancelBubble = true;
                onEvent({ kind: "click", hand: h, joint: j, shift: event.evt.shiftKey });
              }}
              onDragStart={() => onEvent({ kind: "dragStart", hand: h, joint: j })}
              onDragMove={(event) =>
                onEvent({ kind: "dragMove", hand: h, joint: j, x: event.target.x(), y: event.target.y() })
              }
              onDragEnd={(event) =>
                onEvent({ kind: "dragEnd", hand: h, joint: j, x: event.target.x(), y: event.target.y() })
              }
            />
          </Group>
        );
      })}
    </Group>
  );
});
