"use client";

import { useCallback, useEffect, useState } from "react";
import {
  rawPrediction,
  resultsToHands,
  type TDetectedHand,
  type TModelPrediction,
  type TMpResults,
} from "@/lib/assist/mediapipe";
import type { TImageSize } from "@/lib/images/image-size";

/**
 * Model-assisted labelling in the browser: MediaPipe Hands (npm `@mediapipe/hands`), run from the files
 * this app serves itself under /mediapipe/ (copied from the package by scripts/copy-mediapipe.mjs), so no
 * request leaves the app. The solution is loaded on first use and kept for the page's lifetime (the
 * workspace moves to the next image without a reload); detections run one at a time.
 *
 * If the model cannot load or run, `failure` says why once, and the detector stays off for the page:
 * manual labelling does not depend on it.
 */

const BASE = "/mediapipe/";
/**
 * MediaPipe's options. `useCpuInference` is a real option of this package's graph (InferenceCalculator
 * use_cpu_inference) though its index.d.ts omits it: 0.2–0.4 s per image without a GPU, where software
 * WebGL takes seconds. `selfieMode: false`: photos are not mirrored (lib/assist swaps the labels).
 */
export const DETECTOR_OPTIONS = {
  maxNumHands: 4,
  modelComplexity: 1,
  minDetectionConfidence: 0.5,
  minTrackingConfidence: 0.5,
  selfieMode: false,
  useCpuInference: true,
} as const;
const LOAD_TIMEOUT_MS = 60_000;
const RUN_TIMEOUT_MS = 30_000;

type THandsSolution = {
  setOptions(options: Record<string, unknown>): void;
  onResults(listener: (results: TMpResults) => void): void;
  initialize(): Promise<void>;
  reset(): void;
  send(input: { image: HTMLImageElement | HTMLCanvasElement }): Promise<void>;
  close(): Promise<void>;
};
type THandsConstructor = new (config: { locateFile: (file: string, prefix?: string) => string }) => THandsSolution;

export type TDetection = {
  hands: TDetectedHand[];
  prediction: TModelPrediction;
  ms: number;
  /** This run loaded the model (its time includes the download and start-up). */
  loaded: boolean;
};
export type TDetectorStatus = "idle" | "loading" | "ready" | "running" | "unavailable";

type TRunner = { run: (image: HTMLImageElement) => Promise<TMpResults> };

// One solution per page, shared by every workspace the page shows.
let runner: Promise<TRunner> | null = null;
let failure: string | null = null;
let queue: Promise<unknown> = Promise.resolve();

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} took longer than ${Math.round(ms / 1000)} s`)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

function loadScript(src: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const script = document.createElement("script");
    script.src = src;
    script.async = true;
    script.onload = () => resolve();
    script.onerror = () => {
      script.remove();
      reject(new Error(`${src} could not be loaded`));
    };
    document.head.appendChild(script);
  });
}

async function createRunner(): Promise<TRunner> {
  const global = window as unknown as { Hands?: THandsConstructor };
  if (!global.Hands) await loadScript(`${BASE}hands.js`);
  if (!global.Hands) throw new Error("hands.js loaded but defined no Hands");
  const hands = new global.Hands({ locateFile: (file) => BASE + file });
  hands.setOptions({ ...DETECTOR_OPTIONS });
  let pending: ((results: TMpResults) => void) | null = null;
  hands.onResults((results) => {
    // Copy what is kept: MediaPipe reuses its buffers once the listener returns.
    const copy: TMpResults = {
      multiHandLandmarks: (results.multiHandLandmarks ?? []).map((list) =>
        list.map((p) => ({ x: p.x, y: p.y, z: p.z })),
      ),
      multiHandedness: (results.multiHandedness ?? []).map((h) => ({ index: h.index, score: h.score, label: h.label })),
    };
    pending?.(copy);
    pending = null;
  });
  await withTimeout(hands.initialize(), LOAD_TIMEOUT_MS, "Loading the hand model");
  return {
    run: async (image) => {
      // Without a reset the graph tracks hands from the previous image into this unrelated one.
      hands.reset();
      const results = new Promise<TMpResults>((resolve) => {
        pending = resolve;
      });
      await withTimeout(hands.send({ image }), RUN_TIMEOUT_MS, "Running the hand model");
      return withTimeout(results, RUN_TIMEOUT_MS, "Waiting for the hand model's results");
    },
  };
}

async function loadImage(src: string): Promise<HTMLImageElement> {
  const image = new Image();
  image.decoding = "async";
  image.src = src;
  await image.decode();
  return image;
}

function describe(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error ?? "unknown error");
  return message.length > 200 ? `${message.slice(0, 200)}…` : message;
}

export function useHandDetector() {
  const [status, setStatus] = useState<TDetectorStatus>(failure ? "unavailable" : "idle");
  const [message, setMessage] = useState<string | null>(failure);

  useEffect(() => {
    if (failure) {
      setStatus("unavailable");
      setMessage(failure);
    }
  }, []);

  /**
   * Detects hands on the image at `src` (any rendition of the image: coordinates come back in `size`,
   * the stored original's pixels). Null when the model is unavailable (then `message` says why); throws
   * when the image itself cannot be read.
   */
  const detect = useCallback(async (src: string, size: TImageSize): Promise<TDetection | null> => {
    if (failure) {
      setStatus("unavailable");
      setMessage(failure);
      return null;
    }
    const job = queue.then(async (): Promise<TDetection | null> => {
      const loaded = !runner;
      const started = performance.now();
      setStatus(loaded ? "loading" : "running");
      let element: HTMLImageElement;
      try {
        element = await loadImage(src);
      } catch {
        // Not the model's fault: the detector stays available.
        setStatus(loaded ? "idle" : "ready");
        throw new Error("The image could not be loaded for detection; try again.");
      }
      let stage: "load" | "run" = "load";
      try {
        runner ??= createRunner();
        const solution = await runner;
        stage = "run";
        setStatus("running");
        const results = await solution.run(element);
        const ms = performance.now() - started;
        const input = { width: element.naturalWidth, height: element.naturalHeight };
        setStatus("ready");
        return {
          hands: resultsToHands(results, size),
          prediction: rawPrediction(results, { options: { ...DETECTOR_OPTIONS }, image: size, input, ms }),
          ms,
          loaded,
        };
      } catch (error) {
        // The model is off for this page: said once, and manual labelling goes on.
        failure = `The hand model could not ${stage} (${describe(error)}). Label by hand; everything else works as usual.`;
        runner = null;
        setStatus("unavailable");
        setMessage(failure);
        return null;
      }
    });
    queue = job.catch(() => undefined);
    return job;
  }, []);

  return { status, message, detect, available: status !== "unavailable" };
}
