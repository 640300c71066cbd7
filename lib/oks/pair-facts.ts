/**
 * What two independent labellings of one image agree on, kept per image (Image.agreementFacts) so the
 * adjudication queue and the quality page read one small value per image instead of every hand: the OKS
 * agreement under the project's sigmas, and the matched hands' contribution to the sigma estimate. `basis`
 * names what the facts were computed from (the sigmas, each labelling's id and last update); facts whose basis
 * differs from the current one are stale and computed again. Pure.
 */
import { z } from "zod";
import type { THand } from "@/lib/hand/schema";
import { labellingAgreement } from "./agreement";
import { sigmaSums } from "./estimate-sigmas";
import { matchHandsByOks } from "./match";

export const ZPairFacts = z.object({
  basis: z.string(),
  agreement: z.number(),
  sample: z.object({ pairs: z.number().int(), sums: z.array(z.number()), counts: z.array(z.number().int()) }),
});
export type TPairFacts = z.infer<typeof ZPairFacts>;

/** The basis of the facts of these two labellings under these sigmas. */
export function pairBasis(sigmas: readonly number[], labellings: readonly { id: string; updatedAt: Date }[]): string {
  return [sigmas.join(","), ...labellings.map((l) => `${l.id}@${l.updatedAt.getTime()}`)].join("|");
}

export function pairFacts(basis: string, handsA: THand[], handsB: THand[], sigmas: readonly number[]): TPairFacts {
  // The sigma sample pairs hands under matchHandsByOks's default (COCO) sigmas, whichever the project uses.
  const matched = matchHandsByOks(handsA, handsB).pairs.map((m) => [handsA[m.a]!, handsB[m.b]!] as const);
  return { basis, agreement: labellingAgreement(handsA, handsB, { sigmas }), sample: sigmaSums(matched) };
}

/** The stored facts if they were computed from `basis`, else null (never computed, stale or unreadable). */
export function currentPairFacts(stored: string | null, basis: string): TPairFacts | null {
  if (stored === null) return null;
  let value: unknown;
  try {
    value = JSON.parse(stored);
  } catch {
    return null;
  }
  const parsed = ZPairFacts.safeParse(value);
  return parsed.success && parsed.data.basis === basis ? parsed.data : null;
}
