/**
 * Actions an annotator spends to bring one hand to within `tolerancePx` of its labels, with the
 * model's proposal and without it. The workspace's costs (lib/annotate/shortcuts.ts):
 * - without: N, then one click per labelled joint and X per unlabelled joint, then L or R;
 * - with: D (shared by the image's hands), one drag per labelled joint the model put more than
 *   `tolerancePx` away (or left out), two actions (select + Shift+X) per joint the model placed but the
 *   label has none, one key if the handedness is wrong. A hand the model missed costs the manual price.
 */
import type { TLabelledHand, TPredictedHand } from "./pck";

export type THandActions = { manual: number; assisted: number; corrected: number };

const JOINTS = 21;

export function manualActions(label: TLabelledHand, knownHandedness: boolean): number {
  const placed = label.filter(Boolean).length;
  return 1 + placed + (JOINTS - placed) + (knownHandedness ? 1 : 0);
}

export function assistedActions(
  label: TLabelledHand,
  predicted: TPredictedHand | null,
  options: { tolerancePx?: number; handednessWrong: boolean; knownHandedness: boolean; detectShare: number },
): THandActions {
  const manual = manualActions(label, options.knownHandedness);
  if (!predicted) return { manual, assisted: options.detectShare + manual, corrected: 0 };
  const tolerance = options.tolerancePx ?? 3;
  let actions = options.detectShare + (options.handednessWrong ? 1 : 0);
  let corrected = 0;
  label.forEach((truth, j) => {
    const guess = predicted[j];
    if (truth && (!guess || Math.hypot(guess.x - truth.x, guess.y - truth.y) > tolerance)) {
      actions += 1;
      corrected++;
    }
    if (!truth && guess) {
      actions += 2;
      corrected++;
    }
  });
  return { manual, assisted: actions, corrected };
}
