"use client";

import { useCallback, useState } from "react";
import type { TImageSize } from "@/lib/images/image-size";
import { labelRegion, type TBox, type TPixels, type TRegionOptions, type TRegionResult } from "@/lib/assist/region";
import type { TLoadedNet } from "@/lib/assist/landmark-runner";

/**
 * Region assist in the browser: the hand-landmark network (public/models/handlandmark, committed with its
 * licence and provenance) on TensorFlow.js's wasm backend (its .wasm files served from /tfjs/, copied at
 * install by scripts/copy-tfjs-wasm.mjs), so no request leaves the app. Loaded on first use and kept for the
 * page; runs one at a time. If it cannot load, `message` says why once and manual labelling goes on.
 */
const MODEL_URL = "/models/handlandmark/handlandmark-full.json";
const WASM_PATHS = "/tfjs/";

export type TRegionStatus = "idle" | "loading" | "ready" | "running" | "unavailable";

let net: Promise<TLoadedNet> | null = null;
let failure: string | null = null;
let queue: Promise<unknown> = Promise.resolve();
// The decoded display image of the current page's image (one at a time).
let pixelsCache: { src: string; pixels: Promise<TPixels> } | null = null;

async function decodePixels(src: string): Promise<TPixels> {
  const image = new Image();
  image.decoding = "async";
  image.src = src;
  await image.decode();
  const canvas = document.createElement("canvas");
  canvas.width = image.naturalWidth;
  canvas.height = image.naturalHeight;
  const context = canvas.getContext("2d", { willReadFrequently: true });
  if (!context) throw new Error("no 2D canvas to read the image");
  context.drawImage(image, 0, 0);
  const data = context.getImageData(0, 0, canvas.width, canvas.height).data;
  return { data, width: canvas.width, height: canvas.height, channels: 4 };
}

function pixelsOf(src: string): Promise<TPixels> {
  if (pixelsCache?.src !== src) {
    const pixels = decodePixels(src);
    pixels.catch(() => {
      if (pixelsCache?.src === src) pixelsCache = null;
    });
    pixelsCache = { src, pixels };
  }
  return pixelsCache.pixels;
}

function describe(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error ?? "unknown error");
  return message.length > 200 ? `${message.slice(0, 200)}…` : message;
}

export function useRegionAssist() {
  const [status, setStatus] = useState<TRegionStatus>(failure ? "unavailable" : "idle");
  const [message, setMessage] = useState<string | null>(failure);

  /**
   * Labels the hand in `box` (pixels of `size`, the stored original) on the image at `src` (any rendition).
   * Points come back in the original's pixels. Null when the network is unavailable.
   */
  const label = useCallback(
    async (
      src: string,
      size: TImageSize,
      box: TBox,
      options: Omit<TRegionOptions, "now"> = {},
    ): Promise<(TRegionResult & { loaded: boolean }) | null> => {
      if (failure) {
        setStatus("unavailable");
        setMessage(failure);
        return null;
      }
      const job = queue.then(async () => {
        const loaded = !net;
        setStatus(loaded ? "loading" : "running");
        try {
          net ??= import("@/lib/assist/landmark-runner").then(({ loadLandmarkNet }) =>
            loadLandmarkNet({ url: MODEL_URL }, WASM_PATHS),
          );
          const [model, pixels] = await Promise.all([net, pixelsOf(src)]);
          setStatus("running");
          // The display copy may be smaller than the original: the box goes in its pixels and comes back.
          const k = pixels.width / size.width;
          const scaled = { x: box.x * k, y: box.y * k, width: box.width * k, height: box.height * k };
          const anchors = options.anchors?.map((p) => (p ? { x: p.x * k, y: p.y * k } : null));
          const result = await labelRegion(model, pixels, scaled, { ...options, anchors });
          setStatus("ready");
          return {
            ...result,
            box,
            points: result.points.map((p) => ({ x: p.x / k, y: p.y / k })),
            loaded,
          };
        } catch (error) {
          failure = `Region assist could not run (${describe(error)}). Label by hand; everything else works as usual.`;
          net = null;
          setStatus("unavailable");
          setMessage(failure);
          return null;
        }
      });
      queue = job.catch(() => undefined);
      return job;
    },
    [],
  );

  return { status, message, label, available: status !== "unavailable" };
}
