/**
 * Region assist measured in Node (bench/assist.ts, first part): the hand-landmark network through TensorFlow.js's
 * wasm backend (lib/assist/landmark-runner.ts) and lib/assist/region.ts, exactly as the workspace runs it, on
 *   - the 12 sample photos (one hand each), and
 *   - a small-hands set generated at run time (never written to the repository): every sample hand cut out with
 *     a margin, downscaled so its box's longer side is 30–120 px, pasted several to a 1920×1080 scene whose
 *     background is another sample photo blurred and stretched; labels transformed the same way.
 * Each hand is run from its labelled box ("exact") and from a box 25 % too large and 15 % off-centre ("loose").
 */
import path from "node:path";
import sharp, { type OverlayOptions } from "sharp";
import {
  absentActions,
  assistedActions,
  assistedActionsWithFingerDrag,
  assistedActionsWithHandDrag,
  manualActions,
} from "../../lib/assist/actions";
import { loadLandmarkNetFromDisk } from "../../lib/assist/landmark-runner-node";
import { boxSize, handPck, mean, type TLabelledHand } from "../../lib/assist/pck";
import { decomposeError, type TDecomposition } from "../../lib/assist/error-decomposition";
import { newHand } from "../../lib/annotate/hand-ops";
import {
  handednessFromScore,
  labelRegion,
  likelyWrongJoints,
  resultView,
  type TBox,
  type TLandmarkNet,
  type TPixels,
} from "../../lib/assist/region";
import type { THand } from "../../lib/hand/schema";
import { oks } from "../../lib/oks/oks";
import { suggestView } from "../../lib/assist/view";
import { HANDS_SAMPLE, type TSampleLabel } from "../../e2e/assist/photos";

export type TCase = {
  set: string;
  name: string;
  pixels: TPixels;
  truth: TLabelledHand;
  handedness: "left" | "right" | null;
};
type TRow = {
  set: string;
  name: string;
  variant: string;
  size: number;
  confident: boolean;
  pck05: number;
  pck20: number;
  oks: number;
  handednessRight: boolean | null;
  /** The suggested view agrees with the one the labels imply for the labelled hand (null: handedness not labelled). */
  viewRight: boolean | null;
  ms: number;
  actionsTol: number;
  actionsFinger: number;
  /** With the hand and knuckle drags as well (lib/annotate/hand-drag.ts); and with the hand drag only. */
  actionsHand: number;
  actionsHandOnly: number;
  actionsHand3px: number;
  /** Of the assisted actions: Shift+clicks marking absent the joints the model placed where the label has none. */
  actionsAbsent: number;
  actions3px: number;
  manual: number;
  ringed: number;
  ringedWrong: number;
  wrong: number;
  truthJoints: number;
  /** Where the error lives (lib/assist/error-decomposition.ts), at 0.05 of the box side; null when not confident. */
  decomposition: TDecomposition | null;
};

const SCENE = { width: 1920, height: 1080 };

/** Deterministic pseudo-random numbers (the set is the same on every run). */
function random(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

export function tightBox(truth: TLabelledHand): TBox {
  const placed = truth.filter((p): p is { x: number; y: number } => p !== null);
  const xs = placed.map((p) => p.x);
  const ys = placed.map((p) => p.y);
  return {
    x: Math.min(...xs),
    y: Math.min(...ys),
    width: Math.max(...xs) - Math.min(...xs),
    height: Math.max(...ys) - Math.min(...ys),
  };
}

async function decode(input: string | Buffer): Promise<TPixels> {
  const { data, info } = await sharp(input).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: 3 };
}

const truthOf = (hand: TSampleLabel["hands"][number]): TLabelledHand =>
  hand.keypoints.map(([x, y, v]) => (v > 0 ? { x, y } : null));

export async function sampleCases(labels: TSampleLabel[]): Promise<TCase[]> {
  const cases: TCase[] = [];
  for (const label of labels) {
    const pixels = await decode(path.join(HANDS_SAMPLE, label.file));
    for (const hand of label.hands)
      cases.push({ set: "sample", name: label.file, pixels, truth: truthOf(hand), handedness: hand.handedness });
  }
  return cases;
}

/** The generated small-hands scenes: `scenes` scenes of `perScene` hands each. */
export async function smallHandCases(labels: TSampleLabel[], scenes = 4, perScene = 6): Promise<TCase[]> {
  const rand = random(13);
  const hands = labels.flatMap((label) => label.hands.map((hand) => ({ label, hand })));
  const cases: TCase[] = [];
  let next = 0;
  for (let s = 0; s < scenes; s++) {
    const backgroundLabel = labels[(s * 5 + 3) % labels.length]!;
    const background = await sharp(path.join(HANDS_SAMPLE, backgroundLabel.file))
      .resize(SCENE.width, SCENE.height, { fit: "fill" })
      .blur(12)
      .modulate({ brightness: 0.8 })
      .removeAlpha()
      .toBuffer();
    const composites: OverlayOptions[] = [];
    const placed: { truth: TLabelledHand; handedness: "left" | "right" | null; name: string }[] = [];
    // One hand per cell of a 3×2 grid, jittered inside its cell: they do not overlap.
    const cols = 3;
    const rows = Math.ceil(perScene / cols);
    for (let k = 0; k < perScene; k++) {
      const { label, hand } = hands[next++ % hands.length]!;
      const truth = truthOf(hand);
      const box = tightBox(truth);
      const side = Math.max(box.width, box.height);
      // Cut out the hand with a margin of half its size (clipped to the photo).
      const margin = 0.5 * side;
      const left = Math.max(0, Math.floor(box.x - margin));
      const top = Math.max(0, Math.floor(box.y - margin));
      const right = Math.min(label.width, Math.ceil(box.x + box.width + margin));
      const bottom = Math.min(label.height, Math.ceil(box.y + box.height + margin));
      // Sizes spread evenly over 30–120 px (a stride through the set, so each scene mixes small and large).
      const slot = (s + scenes * k) % (scenes * perScene);
      const target = 30 + (90 * (slot + 0.5)) / (scenes * perScene);
      const scale = target / side;
      const width = Math.max(1, Math.round((right - left) * scale));
      const height = Math.max(1, Math.round((bottom - top) * scale));
      const patch = await sharp(path.join(HANDS_SAMPLE, label.file))
        .extract({ left, top, width: right - left, height: bottom - top })
        .resize(width, height, { fit: "fill" })
        .removeAlpha()
        .toBuffer();
      const cellW = SCENE.width / cols;
      const cellH = SCENE.height / rows;
      const cx = (k % cols) * cellW + Math.round(rand() * Math.max(0, cellW - width));
      const cy = Math.floor(k / cols) * cellH + Math.round(rand() * Math.max(0, cellH - height));
      composites.push({ input: patch, left: Math.round(cx), top: Math.round(cy) });
      const sx = width / (right - left);
      const sy = height / (bottom - top);
      placed.push({
        name: `scene${s + 1}:${label.file}@${Math.round(target)}px`,
        handedness: hand.handedness,
        truth: truth.map((p) =>
          p ? { x: Math.round(cx) + (p.x - left) * sx, y: Math.round(cy) + (p.y - top) * sy } : null,
        ),
      });
    }
    const scene = await sharp(background).composite(composites).jpeg({ quality: 90 }).toBuffer();
    const pixels = await decode(scene);
    for (const p of placed)
      cases.push({ set: "small", name: p.name, pixels, truth: p.truth, handedness: p.handedness });
  }
  return cases;
}

function looseBox(box: TBox): TBox {
  const side = Math.max(box.width, box.height);
  const width = box.width * 1.25;
  const height = box.height * 1.25;
  const cx = box.x + box.width / 2 + 0.15 * side;
  const cy = box.y + box.height / 2 + 0.15 * side;
  return { x: cx - width / 2, y: cy - height / 2, width, height };
}

function handOf(points: ({ x: number; y: number } | null)[]): THand {
  return {
    ...newHand(),
    keypoints: points.map((p) =>
      p ? { x: p.x, y: p.y, state: "visible" as const } : { x: 0, y: 0, state: "absent" as const },
    ),
  };
}

async function measure(net: TLandmarkNet, c: TCase, variant: "exact" | "loose"): Promise<TRow> {
  const exact = tightBox(c.truth);
  const box = variant === "exact" ? exact : looseBox(exact);
  const result = await labelRegion(net, c.pixels, box);
  const size = boxSize(c.truth);
  const predicted = result.confident ? result.points : null;
  const knownHandedness = c.handedness !== null;
  const side = handednessFromScore(result.rightScore);
  const handednessWrong = knownHandedness && result.confident && side !== c.handedness;
  const tolerance = 0.05 * size;
  const wrongJoints = c.truth.flatMap((t, j) =>
    t && predicted && Math.hypot(predicted[j]!.x - t.x, predicted[j]!.y - t.y) > tolerance ? [j] : [],
  );
  const ringed = result.confident ? likelyWrongJoints(result.uncertainty) : [];
  const truthHand = handOf(c.truth);
  const truthView = c.handedness ? suggestView(truthHand, c.handedness) : null;
  return {
    set: c.set,
    name: c.name,
    variant,
    size,
    confident: result.confident,
    pck05: handPck(c.truth, predicted, 0.05).pck,
    pck20: handPck(c.truth, predicted, 0.2).pck,
    oks: predicted ? (oks(handOf(predicted), truthHand) ?? 0) : 0,
    handednessRight: knownHandedness && result.confident ? side === c.handedness : null,
    viewRight:
      truthView && result.confident
        ? resultView(result, { width: c.pixels.width, height: c.pixels.height }) === truthView
        : null,
    ms: result.ms,
    // The box drag is the one action that replaces D.
    actionsTol: assistedActions(c.truth, predicted, {
      tolerancePx: tolerance,
      handednessWrong,
      knownHandedness,
      detectShare: 1,
    }).assisted,
    actionsFinger: assistedActionsWithFingerDrag(c.truth, predicted, {
      tolerancePx: tolerance,
      handednessWrong,
      knownHandedness,
      detectShare: 1,
    }).assisted,
    actionsHand: assistedActionsWithHandDrag(c.truth, predicted, {
      tolerancePx: tolerance,
      handednessWrong,
      knownHandedness,
      detectShare: 1,
    }).assisted,
    actionsHandOnly: assistedActionsWithHandDrag(
      c.truth,
      predicted,
      { tolerancePx: tolerance, handednessWrong, knownHandedness, detectShare: 1 },
      ["move", "turn"],
    ).assisted,
    actionsHand3px: assistedActionsWithHandDrag(c.truth, predicted, {
      tolerancePx: 3,
      handednessWrong,
      knownHandedness,
      detectShare: 1,
    }).assisted,
    actionsAbsent: predicted ? absentActions(c.truth, predicted) : 0,
    actions3px: assistedActions(c.truth, predicted, {
      tolerancePx: 3,
      handednessWrong,
      knownHandedness,
      detectShare: 1,
    }).assisted,
    manual: manualActions(c.truth, knownHandedness),
    ringed: ringed.length,
    ringedWrong: ringed.filter((j) => wrongJoints.includes(j)).length,
    wrong: wrongJoints.length,
    truthJoints: c.truth.filter(Boolean).length,
    decomposition: predicted ? decomposeError(c.truth, predicted, tolerance) : null,
  };
}

const pct = (x: number) => `${(100 * x).toFixed(0)} %`;
const f2 = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : "–");

function summarise(rows: TRow[], log: (line: string) => void) {
  const big = rows.filter((r) => r.size > 40);
  const small = rows.filter((r) => r.size <= 40);
  const sizes = rows.map((r) => r.size);
  log(
    `  hand sizes (box longer side) ${Math.round(Math.min(...sizes))}–${Math.round(Math.max(...sizes))} px; ${small.length} hand(s) of 40 px or less, ${small.filter((r) => r.confident).length} of them confident`,
  );
  const handed = rows.filter((r) => r.handednessRight !== null);
  const viewed = rows.filter((r) => r.viewRight !== null);
  const ringed = rows.reduce((a, r) => a + r.ringed, 0);
  const ringedWrong = rows.reduce((a, r) => a + r.ringedWrong, 0);
  const wrong = rows.reduce((a, r) => a + r.wrong, 0);
  const joints = rows.reduce((a, r) => a + r.truthJoints, 0);
  log(
    `  hands ${rows.length}: confident ${pct(mean(rows.map((r) => (r.confident ? 1 : 0))))}` +
      ` (taller than 40 px: ${big.filter((r) => r.confident).length}/${big.length} = ${pct(mean(big.map((r) => (r.confident ? 1 : 0))))})` +
      ` · PCK@0.05 ${f2(mean(rows.map((r) => r.pck05)))} · PCK@0.2 ${f2(mean(rows.map((r) => r.pck20)))}` +
      ` · mean OKS ${f2(mean(rows.map((r) => r.oks)))}` +
      ` · handedness ${handed.length ? `${handed.filter((r) => r.handednessRight).length}/${handed.length}` : "– (not labelled)"}` +
      ` · view ${viewed.length ? `${viewed.filter((r) => r.viewRight).length}/${viewed.length}` : "–"} agree with the labels' (palm/back/side)`,
  );
  // The two sources label some joints differently (FreiHAND's MCPs sit further into the fingers than
  // MediaPipe's): the precision is shown per source so that convention is not mistaken for the model's error.
  for (const source of ["freihand", "onehand10k"]) {
    const of = rows.filter((r) => r.name.includes(source));
    if (of.length)
      log(
        `    ${source} (${of.length}): PCK@0.05 ${f2(mean(of.map((r) => r.pck05)))} · actions with the finger drag ${f2(mean(of.map((r) => r.actionsFinger)))}, with the hand drag too ${f2(mean(of.map((r) => r.actionsHand)))} vs manual ${f2(mean(of.map((r) => r.manual)))}`,
      );
  }
  log(
    `  actions per hand, every joint within 0.05 of the box side: assisted ${f2(mean(rows.map((r) => r.actionsTol)))} vs manual ${f2(mean(rows.map((r) => r.manual)))}` +
      ` (with the finger drag ${f2(mean(rows.map((r) => r.actionsFinger)))}; of which the box ${f2(mean(rows.map((r) => (r.confident ? 1 : 0))))}, marking joints absent ${f2(mean(rows.map((r) => r.actionsAbsent)))}, the rest drags and the handedness key)` +
      ` · within 3 px: assisted ${f2(mean(rows.map((r) => r.actions3px)))} · time per box ${Math.round(mean(rows.map((r) => r.ms)))} ms (loaded)`,
  );
  const decomposed = rows.flatMap((r) => (r.decomposition ? [r.decomposition] : []));
  const sum = (of: (d: TDecomposition) => number) => decomposed.reduce((a, d) => a + of(d), 0);
  const share = (of: (d: TDecomposition) => number) => pct(sum(of) / sum((d) => d.labelled));
  log(
    `  where the error lives (labelled joints within 0.05, confident hands): as predicted ${share((d) => d.raw)}` +
      ` · whole hand moved by its mean offset ${share((d) => d.translated)} · best similarity of the whole hand ${share((d) => d.global)}` +
      ` · each finger turned+scaled about its base ${share((d) => d.fingers)} · similarity then fingers ${share((d) => d.globalThenFingers)}` +
      ` · bases and wrist placed, then fingers ${share((d) => d.basesPlacedThenFingers)}` +
      ` · still off after similarity then fingers: wrist ${sum((d) => d.offAfter.wrist)}, bases ${sum((d) => d.offAfter.base)}, PIP/DIP ${sum((d) => d.offAfter.middle)}, tips ${sum((d) => d.offAfter.tip)}`,
  );
  log(
    `  with the hand drag and the knuckle drag: ${f2(mean(rows.map((r) => r.actionsHand)))} per hand at 0.05 (without the knuckle row ${f2(mean(rows.map((r) => r.actionsHandOnly)))}), ${f2(mean(rows.map((r) => r.actionsHand3px)))} within 3 px`,
  );
  log(
    `  likely-wrong rings: ${ringed} joints ringed, ${ringedWrong} of them really off by > 0.05 (precision ${ringed ? pct(ringedWrong / ringed) : "–"});` +
      ` ${wrong} joints off in all (${joints ? pct(wrong / joints) : "–"} of labelled joints), ${wrong ? pct(ringedWrong / wrong) : "–"} of them ringed`,
  );
}

export async function regionBench(root: string, labels: TSampleLabel[], log: (line: string) => void) {
  const loadStart = performance.now();
  const net = await loadLandmarkNetFromDisk(root);
  log(
    `region assist: hand-landmark network on TensorFlow.js ${net.backend} (Node), loaded in ${Math.round(performance.now() - loadStart)} ms`,
  );
  // The bare cost of one network run on this machine now, for reading the per-box times (a box = 4–6 runs).
  const blank = new Float32Array(224 * 224 * 3);
  await net.infer(blank);
  const bareStart = performance.now();
  for (let i = 0; i < 5; i++) await net.infer(blank);
  log(`bare network run: ${((performance.now() - bareStart) / 5).toFixed(0)} ms (loaded machine)`);
  const sets = [
    { title: "12 sample photos", cases: await sampleCases(labels) },
    {
      title: "generated small-hands set (4 scenes 1920×1080, 6 hands each, 30–120 px)",
      cases: await smallHandCases(labels),
    },
  ];
  const all: TRow[] = [];
  for (const { title, cases } of sets) {
    for (const variant of ["exact", "loose"] as const) {
      const rows: TRow[] = [];
      for (const c of cases) rows.push(await measure(net, c, variant));
      all.push(...rows);
      log(
        `${title}, ${variant === "exact" ? "box = the labelled hand's box" : "box 25 % too large and 15 % off-centre"}:`,
      );
      summarise(rows, log);
    }
  }
  net.dispose();
  return all;
}
