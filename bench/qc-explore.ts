/*
 * Exploration for issue 19 (kept in history only, deleted in the next commit): can the hand-landmark network
 * separate a joint slipped 0.6 bone from its own error? On the 12 sample photos: the stored network hand
 * (labelRegion on the labels' box), an 18-run ensemble on crops aligned to the labelled hand (3 scales × 3
 * rotations × a horizontal flip), its mean and median, and a perfect model (the labels themselves); measures:
 * raw distance, after a similarity fit of the other 20 joints, neighbour-relative (model-agreement.ts's
 * residual), a local similarity fit on the joint's neighbours, and a z-score against the ensemble's spread.
 * Correct set: each hand as labelled and 5 copies with 2 % click noise (as bench/qc.ts). Run:
 *   node --conditions=react-server --import tsx bench/qc-explore.ts
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import sharp from "sharp";
import { loadLandmarkNetFromDisk } from "@/lib/assist/landmark-runner-node";
import {
  alignedCrop,
  labelRegion,
  sampleCrop,
  unrotate,
  type TCrop,
  type TPixels,
  type TPoint,
} from "@/lib/assist/region";
import { BONES, JOINT_COUNT, WRIST } from "@/lib/hand/skeleton";
import { modelHandFromResult, networkBox } from "@/lib/qc/network-model";
import { runQualityChecks, type TQualityFlag } from "@/lib/qc";
import type { TModelHand } from "@/lib/qc/run-checks";
import type { TSampleHand } from "@/lib/qc/sample-hands";
import { boneLength, displaceJoint } from "@/lib/qc/planted-errors";
import { loadSampleHands, SAMPLE_FOLDER } from "@/lib/qc/sample-hands";
import { MCPS } from "@/lib/qc/geometry";
import { seededRandom } from "@/lib/qc/synthetic-hands";
import { handScale } from "@/lib/qc/geometry";

const log = (s: string) => process.stdout.write(s + "\n");
type P = TPoint | null;

/** Similarity (complex a·z + b) least squares from src to dst over `use` joints. */
function fit(src: P[], dst: P[], use: number[]) {
  const pairs = use.filter((j) => src[j] && dst[j]);
  const n = pairs.length;
  if (n < 3) return null;
  let [sx, sy, dx, dy] = [0, 0, 0, 0];
  for (const j of pairs) {
    sx += src[j]!.x;
    sy += src[j]!.y;
    dx += dst[j]!.x;
    dy += dst[j]!.y;
  }
  [sx, sy, dx, dy] = [sx / n, sy / n, dx / n, dy / n];
  let [re, im, ss] = [0, 0, 0];
  for (const j of pairs) {
    const [ax, ay] = [src[j]!.x - sx, src[j]!.y - sy];
    const [bx, by] = [dst[j]!.x - dx, dst[j]!.y - dy];
    re += ax * bx + ay * by;
    im += ax * by - ay * bx;
    ss += ax * ax + ay * ay;
  }
  const [ar, ai] = [re / ss, im / ss];
  return (p: TPoint) => {
    const [x, y] = [p.x - sx, p.y - sy];
    return { x: ar * x - ai * y + dx, y: ai * x + ar * y + dy };
  };
}

const NEIGH: number[][] = Array.from({ length: JOINT_COUNT }, (_, j) => {
  const s = new Set<number>();
  for (const [a, b] of BONES) {
    if (a === j) s.add(b);
    if (b === j) s.add(a);
  }
  const row = (MCPS as readonly number[]).indexOf(j);
  if (row > 0) s.add(MCPS[row - 1]!);
  if (row >= 0 && row < MCPS.length - 1) s.add(MCPS[row + 1]!);
  return [...s];
});

type Measure = (label: P[], model: P[], spread: number[], bone: number[], j: number) => number | null;

const others = (j: number) => Array.from({ length: JOINT_COUNT }, (_, k) => k).filter((k) => k !== j);
const measures: Record<string, Measure> = {
  raw: (L, M, _s, b, j) => (L[j] && M[j] ? Math.hypot(L[j]!.x - M[j]!.x, L[j]!.y - M[j]!.y) / b[j]! : null),
  procrustes20: (L, M, _s, b, j) => {
    const T = fit(M, L, others(j));
    if (!T || !L[j] || !M[j]) return null;
    const q = T(M[j]!);
    return Math.hypot(L[j]!.x - q.x, L[j]!.y - q.y) / b[j]!;
  },
  neighbourLocal: (L, M, _s, b, j) => {
    // offset minus neighbours' mean offset (as model-agreement.ts), after a 20-joint similarity fit
    const T = fit(M, L, others(j));
    if (!T || !L[j] || !M[j]) return null;
    const off = (k: number) => (L[k] && M[k] ? { x: L[k]!.x - T(M[k]!).x, y: L[k]!.y - T(M[k]!).y } : null);
    const o = off(j)!;
    const around = NEIGH[j]!.map(off).filter((v): v is TPoint => !!v);
    if (!around.length) return null;
    const mx = around.reduce((a, v) => a + v.x, 0) / around.length;
    const my = around.reduce((a, v) => a + v.y, 0) / around.length;
    return Math.hypot(o.x - mx, o.y - my) / b[j]!;
  },
  localFit: (L, M, _s, b, j) => {
    // fit on the joint's neighbours only (its local frame), then the joint's residual
    const T = fit(M, L, NEIGH[j]!.length >= 2 ? NEIGH[j]! : others(j));
    if (!T || !L[j] || !M[j]) return null;
    const q = T(M[j]!);
    return Math.hypot(L[j]!.x - q.x, L[j]!.y - q.y) / b[j]!;
  },
  zProcrustes: (L, M, s, b, j) => {
    const T = fit(M, L, others(j));
    if (!T || !L[j] || !M[j]) return null;
    const q = T(M[j]!);
    return Math.hypot(L[j]!.x - q.x, L[j]!.y - q.y) / Math.max(s[j]!, 0.15 * b[j]!);
  },
};

async function main() {
  const sample = loadSampleHands()!;
  const net = await loadLandmarkNetFromDisk(process.cwd());
  const rows: {
    file: string;
    label: P[];
    bone: number[];
    models: Record<string, { M: P[]; spread: number[] }>;
    scale: number;
  }[] = [];
  const stored: { s: TSampleHand; model: TModelHand }[] = [];
  for (const s of sample) {
    const { data, info } = await sharp(readFileSync(path.join(SAMPLE_FOLDER, s.file)))
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    const pixels: TPixels = { data, width: info.width, height: info.height, channels: 3 };
    const label: P[] = s.hand.keypoints.map((p) => (p.state === "absent" ? null : { x: p.x, y: p.y }));
    const bone = label.map((_, j) => boneLength(s.hand, j) ?? NaN);
    const box = networkBox(s.hand)!;
    const region = await labelRegion(net, pixels, box);
    const models: Record<string, { M: P[]; spread: number[] }> = {};
    models.stored = { M: region.points, spread: region.uncertainty.map((u) => u * Math.max(box.width, box.height)) };
    // Ensemble aligned to the labels (framing joints from the labels, else the network's)
    const frame = label.map((p, j) => p ?? region.points[j]!);
    const runs: TPoint[][] = [];
    for (const scale of [1.8, 2.0, 2.3])
      for (const rot of [-0.25, 0, 0.25])
        for (const flip of [false, true]) {
          const c0 = alignedCrop(frame, scale);
          const crop: TCrop = { ...c0, angle: c0.angle + rot, flip };
          const out = await net.infer(sampleCrop(pixels, crop));
          if (out.presence < 0.5) continue;
          runs.push(unrotate(crop, out.landmarks));
        }
    const mean = (j: number) => ({
      x: runs.reduce((a, r) => a + r[j]!.x, 0) / runs.length,
      y: runs.reduce((a, r) => a + r[j]!.y, 0) / runs.length,
    });
    const M = Array.from({ length: JOINT_COUNT }, (_, j) => mean(j));
    const spread = M.map((m, j) =>
      Math.sqrt(runs.reduce((a, r) => a + (r[j]!.x - m.x) ** 2 + (r[j]!.y - m.y) ** 2, 0) / runs.length),
    );
    // median across runs (robust)
    const med = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;
    const Mmed = Array.from({ length: JOINT_COUNT }, (_, j) => ({
      x: med(runs.map((r) => r[j]!.x)),
      y: med(runs.map((r) => r[j]!.y)),
    }));
    models.ensemble = { M, spread };
    models.ensembleMedian = { M: Mmed, spread };
    models.oracle = { M: label, spread: label.map(() => 0) };
    log(
      `${s.file}: ${runs.length} runs kept; scale ${handScale(s.hand)!.toFixed(1)} px; bones px ${bone.map((b) => (Number.isFinite(b) ? b.toFixed(0) : "-")).join(" ")}`,
    );
    rows.push({ file: s.file, label, bone, models, scale: handScale(s.hand)! });
    stored.push({ s, model: modelHandFromResult(region, s.image)! });
  }
  net.dispose();
  {
    // Tight-ensemble rule: only joints whose ensemble spread < 0.1 bone, neighbourLocal above tau (max over correct incl. noise)
    const keyOf = (f: TQualityFlag) => `${f.code}|${f.severity}|${[...f.joints].sort((a, b) => a - b).join(",")}`;
    const rule = (L: P[], r: (typeof rows)[number]) => {
      const { M, spread } = r.models.ensemble!;
      let mx = 0;
      for (let j = 2; j < JOINT_COUNT; j++) {
        if (!(spread[j]! / r.bone[j]! < 0.1)) continue;
        const v = measures.neighbourLocal!(L, M, spread, r.bone, j);
        if (v !== null && Number.isFinite(v)) mx = Math.max(mx, v);
      }
      return mx;
    };
    let tau = 0;
    for (const r of rows) {
      const random = seededRandom(7 + r.file.length);
      tau = Math.max(tau, rule(r.label, r));
      for (let k = 0; k < 5; k++)
        tau = Math.max(
          tau,
          rule(
            r.label.map((p) =>
              p ? { x: p.x + 0.02 * r.scale * gauss(random), y: p.y + 0.02 * r.scale * gauss(random) } : null,
            ),
            r,
          ),
        );
    }
    log(`tight rule tau ${tau.toFixed(2)}`);
    for (const d of [0.3, 0.6, 1.0]) {
      let [n, cur, add, both] = [0, 0, 0, 0];
      rows.forEach((r, i) => {
        const { s, model } = stored[i]!;
        const ctx = { image: s.image, model: [model] };
        const known = new Set(runQualityChecks(s.hand, ctx).map(keyOf));
        for (let j = 0; j < JOINT_COUNT; j++)
          for (let a = 0; a < 8; a++) {
            const moved = displaceJoint(s.hand, j, d, (a * Math.PI) / 4);
            if (!moved) continue;
            n++;
            const c = runQualityChecks(moved, ctx).some((f) => f.severity === "strong" && !known.has(keyOf(f)));
            const L: P[] = moved.keypoints.map((p) => (p.state === "absent" ? null : { x: p.x, y: p.y }));
            const t = rule(L, r) > tau;
            if (c) cur++;
            if (t) add++;
            if (c || t) both++;
          }
      });
      log(
        `displaced ${d} (real, model stored): current ${((100 * cur) / n).toFixed(1)}%, tight rule ${((100 * add) / n).toFixed(1)}%, union ${((100 * both) / n).toFixed(1)}% of ${n}`,
      );
    }
  }

  const SKIP = new Set([WRIST, 1]);
  {
    // per class and by ensemble spread: neighbourLocal on the ensemble
    const cls = (j: number) =>
      j === 0 ? "wrist" : j === 1 ? "cmc" : j % 4 === 1 ? "MCP" : j % 4 === 2 ? "PIP" : j % 4 === 3 ? "DIP" : "tip";
    const by = new Map<string, number[]>();
    const pts: { spread: number; res: number; px: number; bonePx: number; file: string; j: number }[] = [];
    for (const r of rows) {
      const { M, spread } = r.models.ensemble!;
      for (let j = 0; j < JOINT_COUNT; j++) {
        const v = measures.neighbourLocal!(r.label, M, spread, r.bone, j);
        if (v === null || !Number.isFinite(v)) continue;
        const k = cls(j) + (r.file.startsWith("frei") ? " frei" : " 1h10k");
        by.set(k, [...(by.get(k) ?? []), v]);
        pts.push({ spread: spread[j]! / r.bone[j]!, res: v, px: v * r.bone[j]!, bonePx: r.bone[j]!, file: r.file, j });
      }
    }
    for (const [k, v] of [...by].sort()) {
      v.sort((a, b) => a - b);
      log(
        `${k.padEnd(12)} n ${v.length} med ${v[Math.floor(v.length / 2)]!.toFixed(2)} p90 ${v[Math.floor(0.9 * (v.length - 1))]!.toFixed(2)} max ${v[v.length - 1]!.toFixed(2)}`,
      );
    }
    for (const [lo, hi] of [
      [0, 0.1],
      [0.1, 0.2],
      [0.2, 0.4],
      [0.4, 1],
      [1, 99],
    ]) {
      const v = pts
        .filter((p) => p.spread >= lo! && p.spread < hi!)
        .map((p) => p.res)
        .sort((a, b) => a - b);
      if (v.length)
        log(
          `spread/bone ${lo}-${hi}: n ${v.length} residual med ${v[Math.floor(v.length / 2)]!.toFixed(2)} p90 ${v[Math.floor(0.9 * (v.length - 1))]!.toFixed(2)} max ${v[v.length - 1]!.toFixed(2)}`,
        );
    }
    const px = pts.map((p) => p.px).sort((a, b) => a - b);
    const bonesPx = pts.map((p) => p.bonePx).sort((a, b) => a - b);
    log(
      `residual in px: med ${px[Math.floor(px.length / 2)]!.toFixed(1)} p90 ${px[Math.floor(0.9 * (px.length - 1))]!.toFixed(1)} max ${px[px.length - 1]!.toFixed(1)}; bone px med ${bonesPx[Math.floor(pts.length / 2)]!.toFixed(0)}`,
    );
    const worst = [...pts].sort((a, b) => b.res - a.res).slice(0, 12);
    log(
      "worst correct joints: " +
        worst
          .map(
            (p) =>
              `${p.file.slice(0, 14)} j${p.j} ${p.res.toFixed(2)} (${p.px.toFixed(1)}px / bone ${p.bonePx.toFixed(0)}px, spread ${p.spread.toFixed(2)})`,
          )
          .join("; "),
    );
  }
  for (const modelName of ["stored", "ensemble", "ensembleMedian", "oracle"]) {
    log(`\n== model: ${modelName}`);
    for (const [mName, m] of Object.entries(measures)) {
      // correct hands: as labelled and 5 click-noise copies
      const correct: number[] = [];
      const perHandMax: number[] = [];
      for (const r of rows) {
        const { M, spread } = r.models[modelName]!;
        const random = seededRandom(7 + r.file.length);
        const variants: P[][] = [r.label];
        for (let k = 0; k < 5; k++)
          variants.push(
            r.label.map((p) =>
              p ? { x: p.x + 0.02 * r.scale * gauss(random), y: p.y + 0.02 * r.scale * gauss(random) } : null,
            ),
          );
        for (const L of variants) {
          let mx = 0;
          for (let j = 0; j < JOINT_COUNT; j++) {
            if (SKIP.has(j)) continue;
            const v = m(L, M, spread, r.bone, j);
            if (v !== null && Number.isFinite(v)) {
              correct.push(v);
              mx = Math.max(mx, v);
            }
          }
          perHandMax.push(mx);
        }
      }
      correct.sort((a, b) => a - b);
      const q = (f: number) => correct[Math.floor(f * (correct.length - 1))]!.toFixed(2);
      const tau = Math.max(...perHandMax);
      // planted: displaced joint's measure (leave-one-out fits), and hand-level detection at tau
      const rec: string[] = [];
      const own: string[] = [];
      for (const d of [0.3, 0.6, 1.0]) {
        let n = 0,
          hit = 0;
        const ownSum: number[] = [];
        for (const r of rows) {
          const { M, spread } = r.models[modelName]!;
          for (let j = 0; j < JOINT_COUNT; j++) {
            if (!r.label[j] || !Number.isFinite(r.bone[j]!)) continue;
            for (let a = 0; a < 8; a++) {
              const ang = (a * Math.PI) / 4;
              const L = r.label.map((p, k) =>
                k === j ? { x: p!.x + d * r.bone[j]! * Math.cos(ang), y: p!.y + d * r.bone[j]! * Math.sin(ang) } : p,
              );
              let mx = 0;
              for (let k = 0; k < JOINT_COUNT; k++) {
                if (SKIP.has(k)) continue;
                const v = m(L, M, spread, r.bone, k);
                if (v !== null && Number.isFinite(v)) mx = Math.max(mx, v);
              }
              const v = SKIP.has(j) ? null : m(L, M, spread, r.bone, j);
              if (v !== null) ownSum.push(v);
              n++;
              if (mx > tau) hit++;
            }
          }
        }
        ownSum.sort((a, b) => a - b);
        rec.push(`${d}: ${((100 * hit) / n).toFixed(1)}%`);
        own.push(
          `${d}: p5 ${ownSum[Math.floor(0.05 * ownSum.length)]!.toFixed(2)} med ${ownSum[Math.floor(0.5 * ownSum.length)]!.toFixed(2)}`,
        );
      }
      log(
        `${mName.padEnd(16)} correct: med ${q(0.5)} p90 ${q(0.9)} p99 ${q(0.99)} max ${q(1)} | tau(max per hand) ${tau.toFixed(2)} | recall ${rec.join(", ")} | displaced own ${own.join("; ")}`,
      );
    }
  }
}

function gauss(random: () => number) {
  const u = Math.max(1e-9, random());
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

void main();
