/**
 * Import of COCO keypoints files (rule 5: a malformed file gets a clear error and changes nothing).
 * Accepts a hand category whose 21 keypoints are in DESIGN order (no `keypoints` list, or our names), or a
 * `keypoints` name list that is a permutation or a superset of our names: joints are mapped by name.
 * Structural faults (not JSON, wrong shape, no hand category, missing joint names, duplicate images) fail the
 * whole file; faults of one annotation are reported per annotation id and that annotation is left out.
 * Callers should refuse the import while `errors` is non-empty, or let the user import the valid part.
 */
import { z } from "zod";
import { ZHand, ZHandInteraction, ZHandView, type THand, type TKeypointInput } from "@/lib/hand/schema";
import { JOINT_COUNT, JOINT_NAMES, stateFromCocoVisibility } from "@/lib/hand/skeleton";

export interface CocoImportImage {
  id: number;
  file_name: string;
  width: number;
  height: number;
  sha256?: string;
}

export interface CocoImportError {
  annotationId: number | null;
  reason: string;
}

export type CocoImportResult =
  | {
      ok: true;
      images: CocoImportImage[];
      /** COCO image id → the hands of its valid annotations, in file order. */
      handsByImage: Map<number, THand[]>;
      errors: CocoImportError[];
      /** Not errors: extra keypoint names ignored, annotations of other categories skipped. */
      warnings: string[];
      imported: number;
    }
  | { ok: false; fileErrors: string[] };

const ZImage = z.looseObject({
  id: z.number({ error: "image id must be a number" }).int("image id must be an integer"),
  file_name: z.string({ error: "file_name must be a string" }).min(1, "file_name is empty"),
  width: z.number({ error: "width must be a number" }).positive("width must be positive"),
  height: z.number({ error: "height must be a number" }).positive("height must be positive"),
  sha256: z
    .string()
    .regex(/^[0-9a-fA-F]{64}$/, "sha256 must be 64 hex digits")
    .transform((s) => s.toLowerCase())
    .optional(),
});

const ZCategory = z.looseObject({
  id: z.number({ error: "category id must be a number" }).int(),
  name: z.string({ error: "category name must be a string" }),
  keypoints: z.array(z.string({ error: "keypoint names must be strings" })).optional(),
});

const ZCocoFile = z.looseObject({
  images: z.array(ZImage, { error: "images must be an array" }),
  annotations: z.array(z.unknown(), { error: "annotations must be an array" }),
  categories: z.array(ZCategory, { error: "categories must be an array" }).min(1, "categories is empty"),
});

/** Lower case, underscores; "little" is the pinky. */
export function normaliseJointName(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, "_")
    .replace(/^little_/, "pinky_");
}

interface HandCategory {
  id: number;
  /** For each of our 21 joints, its index in the file's keypoint list. */
  map: number[];
  /** Length of the file's keypoint list. */
  size: number;
}

function handCategories(
  categories: z.infer<typeof ZCategory>[],
  fileErrors: string[],
  warnings: string[],
): HandCategory[] {
  const found: HandCategory[] = [];
  for (const c of categories) {
    if (!c.keypoints) {
      if (/hand/i.test(c.name)) found.push({ id: c.id, map: JOINT_NAMES.map((_, i) => i), size: JOINT_COUNT });
      continue;
    }
    const names = c.keypoints.map(normaliseJointName);
    const dup = names.filter((n, i) => names.indexOf(n) !== i);
    const map = JOINT_NAMES.map((n) => names.indexOf(n));
    const missing = JOINT_NAMES.filter((_, j) => map[j] === -1);
    if (missing.length === JOINT_COUNT && !/hand/i.test(c.name)) continue; // another kind of object
    const where = `category ${c.id} ("${c.name}")`;
    if (dup.length) fileErrors.push(`${where}: keypoint names repeat: ${[...new Set(dup)].join(", ")}`);
    if (missing.length) fileErrors.push(`${where}: missing hand keypoints: ${missing.join(", ")}`);
    const unknown = c.keypoints.filter((_, i) => !(JOINT_NAMES as readonly string[]).includes(names[i]!));
    if (unknown.length && !missing.length) warnings.push(`${where}: ignored keypoints: ${unknown.join(", ")}`);
    if (!dup.length && !missing.length) found.push({ id: c.id, map, size: c.keypoints.length });
  }
  return found;
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

export function parseCocoImport(input: string | unknown): CocoImportResult {
  let json: unknown = input;
  if (typeof input === "string") {
    try {
      json = JSON.parse(input);
    } catch (e) {
      return { ok: false, fileErrors: [`not valid JSON: ${(e as Error).message}`] };
    }
  }
  const parsed = ZCocoFile.safeParse(json);
  if (!parsed.success) {
    return {
      ok: false,
      fileErrors: parsed.error.issues.map((i) => (i.path.length ? `${i.path.join(".")}: ${i.message}` : i.message)),
    };
  }
  const file = parsed.data;
  const fileErrors: string[] = [];
  const warnings: string[] = [];

  const images = new Map<number, CocoImportImage>();
  const fileNames = new Set<string>();
  for (const img of file.images) {
    if (images.has(img.id)) fileErrors.push(`images: duplicate image id ${img.id}`);
    if (fileNames.has(img.file_name)) fileErrors.push(`images: duplicate file_name ${img.file_name}`);
    fileNames.add(img.file_name);
    const { id, file_name, width, height, sha256 } = img;
    images.set(id, { id, file_name, width, height, ...(sha256 ? { sha256 } : {}) });
  }

  const categories = handCategories(file.categories, fileErrors, warnings);
  if (!categories.length && !fileErrors.length) {
    fileErrors.push(
      `no hand category: expected a category with the ${JOINT_COUNT} keypoints ${JOINT_NAMES.join(", ")}`,
    );
  }
  if (fileErrors.length) return { ok: false, fileErrors };
  const byId = new Map(categories.map((c) => [c.id, c]));

  const errors: CocoImportError[] = [];
  const handsByImage = new Map<number, THand[]>();
  const seen = new Set<number>();
  let skipped = 0;
  let imported = 0;
  file.annotations.forEach((raw, index) => {
    if (!isObj(raw)) return void errors.push({ annotationId: null, reason: `annotations[${index}] is not an object` });
    const id = Number.isInteger(raw.id) ? (raw.id as number) : null;
    const fail = (reason: string) => errors.push({ annotationId: id, reason });
    if (id === null) return void fail(`annotations[${index}]: id must be an integer`);
    if (seen.has(id)) return void fail("duplicate annotation id");
    seen.add(id);
    const category = byId.get(raw.category_id as number);
    if (!category) return void skipped++;
    const hand = annotationToHand(raw, category, images, fail);
    if (!hand) return;
    const imageId = raw.image_id as number;
    const list = handsByImage.get(imageId);
    if (list) list.push(hand);
    else handsByImage.set(imageId, [hand]);
    imported++;
  });
  if (skipped) warnings.push(`${skipped} annotations of other categories were skipped`);
  return { ok: true, images: [...images.values()], handsByImage, errors, warnings, imported };
}

function annotationToHand(
  raw: Record<string, unknown>,
  category: HandCategory,
  images: Map<number, CocoImportImage>,
  fail: (reason: string) => void,
): THand | null {
  let ok = true;
  const bad = (reason: string) => {
    ok = false;
    fail(reason);
  };
  const image = Number.isInteger(raw.image_id) ? images.get(raw.image_id as number) : undefined;
  if (!image) bad(`unknown image_id ${JSON.stringify(raw.image_id) ?? "(missing)"}`);

  const kp = raw.keypoints;
  const expected = category.size * 3;
  if (!Array.isArray(kp)) {
    bad("keypoints must be an array");
    return null;
  }
  if (kp.length !== expected) {
    bad(`wrong keypoint count: expected ${expected} numbers, got ${kp.length}`);
    return null;
  }
  const malformed = kp.findIndex((n) => typeof n !== "number" || !Number.isFinite(n));
  if (malformed !== -1) {
    bad(`malformed number at keypoints[${malformed}]: ${JSON.stringify(kp[malformed]) ?? String(kp[malformed])}`);
    return null;
  }

  const keypoints: TKeypointInput[] = [];
  const outside: string[] = [];
  JOINT_NAMES.forEach((name, j) => {
    const at = category.map[j]! * 3;
    const [x, y, v] = [kp[at], kp[at + 1], kp[at + 2]] as number[];
    const state = stateFromCocoVisibility(v!);
    if (state === null) return void bad(`${name}: v = ${v} is not 0, 1 or 2`);
    if (state === "absent") return void keypoints.push({ x: 0, y: 0, state });
    if (image && !(x! >= 0 && x! <= image.width && y! >= 0 && y! <= image.height)) outside.push(`${name} (${x}, ${y})`);
    keypoints.push({ x: x!, y: y!, state });
  });
  if (outside.length && image)
    bad(`coordinates outside the ${image.width}×${image.height} image: ${outside.join(", ")}`);

  let handedness: "left" | "right" | "unknown" = "unknown";
  if (raw.handedness !== undefined && raw.handedness !== null) {
    const h = typeof raw.handedness === "string" ? raw.handedness.trim().toLowerCase() : "";
    if (h === "left" || h === "right" || h === "unknown") handedness = h;
    else bad(`handedness must be left, right or unknown, got ${JSON.stringify(raw.handedness)}`);
  }

  let bbox: THand["bbox"] = null;
  if (raw.bbox !== undefined && raw.bbox !== null) {
    const b = raw.bbox;
    if (
      Array.isArray(b) &&
      b.length === 4 &&
      b.every((n) => typeof n === "number" && Number.isFinite(n)) &&
      b[2] >= 0 &&
      b[3] >= 0
    ) {
      // A [0,0,0,0] box is COCO's way of saying "none": derive it from the joints instead.
      if (b[2] > 0 && b[3] > 0) bbox = { x: b[0], y: b[1], width: b[2], height: b[3] };
    } else bad(`malformed bbox: ${JSON.stringify(b)}`);
  }
  if (!ok) return null;

  const gesture = typeof raw.gesture === "string" && raw.gesture.trim() ? raw.gesture.trim().slice(0, 64) : null;
  const view = ZHandView.safeParse(raw.view);
  const interaction = ZHandInteraction.safeParse(raw.interaction);
  const hand = ZHand.safeParse({
    handedness,
    keypoints,
    bbox,
    gesture,
    view: view.success ? view.data : null,
    interaction: interaction.success ? interaction.data : "none",
    skinTone: null,
  });
  if (!hand.success) {
    fail(`invalid hand: ${hand.error.issues.map((i) => i.message).join("; ")}`);
    return null;
  }
  return hand.data;
}

export interface ImageCandidate {
  id: string;
  fileName: string;
  sha256?: string | null;
}

/**
 * Match imported COCO images to stored images: by sha256 when the file gives one, else by file name
 * (the last path segment), and only when exactly one candidate fits.
 */
export function matchImportedImages(
  images: readonly CocoImportImage[],
  candidates: readonly ImageCandidate[],
): { matched: Map<number, string>; unmatched: CocoImportImage[]; ambiguous: CocoImportImage[] } {
  const base = (p: string) => p.split(/[\\/]/).pop() ?? p;
  const bySha = group(
    candidates.filter((c) => c.sha256),
    (c) => c.sha256!.toLowerCase(),
  );
  const byName = group(candidates, (c) => base(c.fileName));
  const matched = new Map<number, string>();
  const unmatched: CocoImportImage[] = [];
  const ambiguous: CocoImportImage[] = [];
  for (const img of images) {
    const hits = (img.sha256 && bySha.get(img.sha256)) || byName.get(base(img.file_name)) || [];
    if (hits.length === 1) matched.set(img.id, hits[0]!.id);
    else (hits.length ? ambiguous : unmatched).push(img);
  }
  return { matched, unmatched, ambiguous };
}

function group<T>(items: readonly T[], key: (t: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const it of items) {
    const k = key(it);
    const list = m.get(k);
    if (list) list.push(it);
    else m.set(k, [it]);
  }
  return m;
}
