/**
 * The strict COCO keypoints checker for Phalanx hand exports. Every rule is checked independently and
 * reported with where it broke, so a test (or the e2e) can assert that one broken rule gives one problem.
 * Works on parsed JSON of unknown shape: never throws.
 */
import { JOINT_COUNT, JOINT_NAMES, cocoSkeleton } from "@/lib/hand/skeleton";

const HANDEDNESS = new Set(["left", "right", "unknown"]);

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);
const isNum = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);
const isInt = (v: unknown): v is number => Number.isInteger(v);

/** Returns the list of problems; an empty list means the file is valid. */
export function validateCocoKeypoints(json: unknown): string[] {
  const problems: string[] = [];
  if (!isObj(json)) return ["the file is not a JSON object"];

  if (!isObj(json.info)) problems.push("info must be an object");
  if (!Array.isArray(json.licenses)) problems.push("licenses must be an array");
  checkCategories(json.categories, problems);

  const sizes = new Map<number, { width: number; height: number }>();
  if (!Array.isArray(json.images)) problems.push("images must be an array");
  else {
    const names = new Set<string>();
    json.images.forEach((img, i) => {
      const at = `images[${i}]`;
      if (!isObj(img)) return void problems.push(`${at}: not an object`);
      if (!isInt(img.id)) problems.push(`${at}: id must be an integer`);
      else if (sizes.has(img.id)) problems.push(`${at}: duplicate image id ${img.id}`);
      if (typeof img.file_name !== "string" || img.file_name === "") problems.push(`${at}: file_name missing`);
      else if (names.has(img.file_name)) problems.push(`${at}: duplicate file_name ${img.file_name}`);
      else names.add(img.file_name);
      const okSize = isNum(img.width) && isNum(img.height) && img.width > 0 && img.height > 0;
      if (!okSize) problems.push(`${at}: width and height must be positive numbers`);
      if (isInt(img.id) && !sizes.has(img.id)) {
        sizes.set(
          img.id,
          okSize ? { width: img.width as number, height: img.height as number } : { width: NaN, height: NaN },
        );
      }
    });
  }

  if (!Array.isArray(json.annotations)) problems.push("annotations must be an array");
  else {
    const ids = new Set<number>();
    json.annotations.forEach((ann, i) => {
      if (!isObj(ann)) return void problems.push(`annotations[${i}]: not an object`);
      const at = `annotations[${i}] (id ${String(ann.id)})`;
      if (!isInt(ann.id)) problems.push(`${at}: id must be an integer`);
      else if (ids.has(ann.id)) problems.push(`${at}: duplicate annotation id`);
      else ids.add(ann.id);
      const size = isInt(ann.image_id) ? sizes.get(ann.image_id) : undefined;
      if (!size) problems.push(`${at}: image_id ${String(ann.image_id)} does not reference an image`);
      if (ann.category_id !== 1) problems.push(`${at}: category_id must be 1`);
      if (ann.iscrowd !== 0) problems.push(`${at}: iscrowd must be 0`);
      if (ann.handedness !== undefined && !HANDEDNESS.has(ann.handedness as string)) {
        problems.push(`${at}: handedness must be left, right or unknown`);
      }
      checkKeypoints(ann, at, size, problems);
      const bbox = ann.bbox;
      if (!Array.isArray(bbox) || bbox.length !== 4 || !bbox.every((n) => isNum(n) && n >= 0)) {
        problems.push(`${at}: bbox must be 4 non-negative numbers [x, y, w, h]`);
      }
      if (!isNum(ann.area) || ann.area < 0) problems.push(`${at}: area must be a number ≥ 0`);
    });
  }
  return problems;
}

function checkCategories(categories: unknown, problems: string[]) {
  if (!Array.isArray(categories) || categories.length !== 1) {
    return void problems.push("categories must hold exactly one category (the hand)");
  }
  const c = categories[0];
  if (!isObj(c)) return void problems.push("categories[0] is not an object");
  if (c.id !== 1) problems.push("categories[0].id must be 1");
  if (c.name !== "hand") problems.push('categories[0].name must be "hand"');
  if (c.supercategory !== "person") problems.push('categories[0].supercategory must be "person"');
  if (JSON.stringify(c.keypoints) !== JSON.stringify(JOINT_NAMES)) {
    problems.push(`categories[0].keypoints must be the ${JOINT_COUNT} joint names in DESIGN order`);
  }
  if (JSON.stringify(c.skeleton) !== JSON.stringify(cocoSkeleton())) {
    problems.push("categories[0].skeleton must be the 20 bones as 1-based pairs");
  }
}

function checkKeypoints(
  ann: Json,
  at: string,
  size: { width: number; height: number } | undefined,
  problems: string[],
) {
  const kp = ann.keypoints;
  if (!Array.isArray(kp) || kp.length !== JOINT_COUNT * 3) {
    problems.push(`${at}: keypoints must hold ${JOINT_COUNT * 3} numbers (21 × x, y, v)`);
    return;
  }
  if (!kp.every(isNum)) {
    problems.push(`${at}: keypoints must all be finite numbers`);
    return;
  }
  let placed = 0;
  let badV = false;
  for (let j = 0; j < JOINT_COUNT; j++) {
    const [x, y, v] = [kp[3 * j], kp[3 * j + 1], kp[3 * j + 2]] as number[];
    const name = JOINT_NAMES[j];
    if (v !== 0 && v !== 1 && v !== 2) {
      problems.push(`${at}: ${name} has v = ${v}, expected 0, 1 or 2`);
      badV = true;
      continue;
    }
    if (v === 0) {
      if (x !== 0 || y !== 0) problems.push(`${at}: ${name} is absent (v = 0) but not at 0,0`);
      continue;
    }
    placed++;
    if (size && Number.isFinite(size.width) && !(x >= 0 && x <= size.width && y >= 0 && y <= size.height)) {
      problems.push(`${at}: ${name} at ${x},${y} lies outside its ${size.width}×${size.height} image`);
    }
  }
  // With an invalid v the count is undefined; the v problem is already reported.
  if (!badV && ann.num_keypoints !== placed) {
    problems.push(`${at}: num_keypoints is ${String(ann.num_keypoints)}, but ${placed} keypoints have v > 0`);
  }
}
