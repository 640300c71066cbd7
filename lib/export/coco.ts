/**
 * COCO keypoints JSON for hands (DESIGN.md §1), written as a stream so that memory stays flat however
 * large the export: the writer keeps only image sizes (to check that annotations reference a real image and
 * lie inside it) and counters, never the annotations. Also the strict checker every export must pass.
 *
 * Order of calls: all addImage() first, then all addAnnotation(), then finish(). Await each call when the
 * sink is asynchronous: that is the backpressure (the writer serialises writes either way).
 */
import { COCO_VISIBILITY, JOINT_COUNT, JOINT_NAMES, cocoSkeleton } from "@/lib/hand/skeleton";
import { bboxFromKeypoints } from "@/lib/hand/bbox";
import { keypointsOutsideImage, type TBbox, type THand } from "@/lib/hand/schema";

export interface CocoInfo {
  description?: string;
  version?: string;
  year?: number;
  contributor?: string;
  url?: string;
  date_created?: string;
}

export interface CocoImage {
  id: number;
  file_name: string;
  width: number;
  height: number;
}

export interface CocoCategory {
  id: 1;
  name: "hand";
  supercategory: "person";
  keypoints: string[];
  skeleton: [number, number][];
}

export interface CocoAnnotation {
  id: number;
  image_id: number;
  category_id: 1;
  iscrowd: 0;
  /** 21 × [x, y, v]; absent joints are 0, 0, 0. */
  keypoints: number[];
  num_keypoints: number;
  bbox: [number, number, number, number];
  area: number;
  handedness: THand["handedness"];
  gesture: string | null;
  view: THand["view"];
  interaction: THand["interaction"];
}

export interface CocoFile {
  info: CocoInfo;
  licenses: unknown[];
  categories: CocoCategory[];
  images: CocoImage[];
  annotations: CocoAnnotation[];
}

export const COCO_HAND_CATEGORY_ID = 1 as const;

export { validateCocoKeypoints } from "./coco-validate";

export function cocoHandCategory(): CocoCategory {
  return { id: 1, name: "hand", supercategory: "person", keypoints: [...JOINT_NAMES], skeleton: cocoSkeleton() };
}

/** Pixel coordinates are written with two decimals (0.01 px). */
export function round2(n: number): number {
  const r = Math.round(n * 100) / 100;
  return r === 0 ? 0 : r; // no -0
}

/**
 * One hand as a COCO annotation. The box is the hand's own (edited or stored) box, else derived from the
 * joints, clipped to the image; a hand with fewer than two placed joints has an empty box at 0,0.
 */
export function handToCocoAnnotation(
  hand: THand,
  ids: { id: number; image_id: number },
  image: { width: number; height: number },
): CocoAnnotation {
  const keypoints: number[] = [];
  let num = 0;
  for (const p of hand.keypoints) {
    const v = COCO_VISIBILITY[p.state];
    if (v === 0) keypoints.push(0, 0, 0);
    else {
      keypoints.push(round2(p.x), round2(p.y), v);
      num++;
    }
  }
  const box = clipBox(hand.bbox ?? bboxFromKeypoints(hand.keypoints, 0.1, image), image);
  const bbox: [number, number, number, number] = box
    ? [round2(box.x), round2(box.y), round2(box.width), round2(box.height)]
    : [0, 0, 0, 0];
  return {
    id: ids.id,
    image_id: ids.image_id,
    category_id: 1,
    iscrowd: 0,
    keypoints,
    num_keypoints: num,
    bbox,
    area: round2(bbox[2] * bbox[3]),
    handedness: hand.handedness,
    gesture: hand.gesture,
    view: hand.view,
    interaction: hand.interaction,
  };
}

function clipBox(box: TBbox | null, image: { width: number; height: number }): TBbox | null {
  if (!box) return null;
  const x0 = Math.min(image.width, Math.max(0, box.x));
  const y0 = Math.min(image.height, Math.max(0, box.y));
  const x1 = Math.min(image.width, Math.max(0, box.x + box.width));
  const y1 = Math.min(image.height, Math.max(0, box.y + box.height));
  return { x: x0, y: y0, width: Math.max(0, x1 - x0), height: Math.max(0, y1 - y0) };
}

export class CocoWriterError extends Error {
  override name = "CocoWriterError";
}

export interface CocoWriter {
  addImage(image: CocoImage): Promise<void>;
  /** `id` defaults to the previous annotation id + 1 (starting at 1); given ids must strictly increase. */
  addAnnotation(input: { image_id: number; hand: THand; id?: number }): Promise<number>;
  finish(): Promise<void>;
  /** Counters only: how much was written and how many entries the writer holds (image sizes only). */
  readonly stats: { images: number; annotations: number; retainedEntries: number; phase: Phase };
}

type Phase = "images" | "annotations" | "finished" | "failed";

export function createCocoWriter(write: (chunk: string) => void | Promise<void>, info: CocoInfo = {}): CocoWriter {
  const sizes = new Map<number, { width: number; height: number }>();
  let phase: Phase = "images";
  let images = 0;
  let annotations = 0;
  let lastAnnotationId = 0;
  let tail: Promise<void> = Promise.resolve();
  let failure: unknown = null;

  const head =
    `{"info":${JSON.stringify(info)},"licenses":[],"categories":${JSON.stringify([cocoHandCategory()])},` +
    `"images":[`;
  let started = false;

  function emit(chunk: string): Promise<void> {
    if (!started) {
      started = true;
      chunk = head + chunk;
    }
    tail = tail.then(async () => {
      if (failure) throw failure;
      try {
        await write(chunk);
      } catch (err) {
        failure = err;
        phase = "failed";
        throw err;
      }
    });
    return tail;
  }

  function guard(allowed: Phase[], what: string) {
    if (phase === "failed") throw new CocoWriterError(`the COCO writer failed earlier; ${what} refused`);
    if (!allowed.includes(phase)) {
      throw new CocoWriterError(
        phase === "finished"
          ? `${what} after finish()`
          : `${what} after annotations began: add every image before the first annotation`,
      );
    }
  }

  return {
    async addImage(image) {
      guard(["images"], "addImage");
      if (!Number.isInteger(image.id)) throw new CocoWriterError(`image id must be an integer, got ${image.id}`);
      if (sizes.has(image.id)) throw new CocoWriterError(`duplicate image id ${image.id}`);
      if (!(image.width > 0 && image.height > 0) || !Number.isFinite(image.width) || !Number.isFinite(image.height)) {
        throw new CocoWriterError(`image ${image.id} needs a positive width and height`);
      }
      if (typeof image.file_name !== "string" || image.file_name.length === 0) {
        throw new CocoWriterError(`image ${image.id} needs a file_name`);
      }
      sizes.set(image.id, { width: image.width, height: image.height });
      const entry = { id: image.id, file_name: image.file_name, width: image.width, height: image.height };
      const chunk = (images > 0 ? "," : "") + JSON.stringify(entry);
      images++;
      await emit(chunk);
    },

    async addAnnotation({ image_id, hand, id }) {
      guard(["images", "annotations"], "addAnnotation");
      const size = sizes.get(image_id);
      if (!size) throw new CocoWriterError(`annotation refers to unknown image ${image_id}`);
      const annId = id ?? lastAnnotationId + 1;
      if (!Number.isInteger(annId) || annId <= lastAnnotationId) {
        throw new CocoWriterError(`annotation ids must be increasing integers: ${annId} after ${lastAnnotationId}`);
      }
      if (hand.keypoints.length !== JOINT_COUNT) {
        throw new CocoWriterError(`annotation ${annId}: a hand has ${JOINT_COUNT} keypoints`);
      }
      const outside = keypointsOutsideImage(hand.keypoints, size.width, size.height);
      if (outside.length > 0) {
        throw new CocoWriterError(
          `annotation ${annId}: joints ${outside.map((i) => JOINT_NAMES[i]).join(", ")} lie outside image ${image_id}`,
        );
      }
      const ann = handToCocoAnnotation(hand, { id: annId, image_id }, size);
      const prefix = phase === "images" ? `],"annotations":[` : ",";
      phase = "annotations";
      lastAnnotationId = annId;
      annotations++;
      await emit(prefix + JSON.stringify(ann));
      return annId;
    },

    async finish() {
      guard(["images", "annotations"], "finish");
      const tailChunk = phase === "images" ? `],"annotations":[]}` : `]}`;
      phase = "finished";
      await emit(tailChunk);
    },

    get stats() {
      return { images, annotations, retainedEntries: sizes.size, phase };
    },
  };
}
