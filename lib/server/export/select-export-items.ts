import "server-only";
import { consentDecision, REFUSAL_REASONS, recordInForce } from "@/lib/consent/rules";
import type { TExportOptions } from "@/lib/export/options";
import { db } from "@/lib/server/db";
import type { Prisma } from "@/lib/server/db/open";
import { consentFactsBySubject } from "@/lib/server/consent/consent-facts";
import { balanceExportItems, balancingLeftOut } from "@/lib/server/coverage/balance-export";

export type TExportItem = {
  imageId: string;
  annotationId: string;
  subjectId: string;
  subjectCode: string;
  consentRecordId: string;
};
export type TLeftOut = { reason: string; count: number };

/**
 * The images an export may contain: labelled with the chosen statuses and filters, active, and whose
 * subject consents to the export's purpose now (lib/consent/rules.ts). One labelling per image: the
 * gold one if any, else the most recently accepted. What is left out is counted by reason.
 */
export async function selectExportItems(projectId: string, options: TExportOptions, now = new Date()) {
  const where: Prisma.AnnotationWhereInput = {
    status: { in: options.statuses },
    goldScore: null, // gold runs measure annotators; the gold labels themselves are exported
    image: {
      projectId,
      ...(options.subjectIds.length ? { subjectId: { in: options.subjectIds } } : {}),
      ...(options.from || options.to
        ? { createdAt: { ...(options.from ? { gte: options.from } : {}), ...(options.to ? { lte: options.to } : {}) } }
        : {}),
    },
    ...(options.gestures.length ? { hands: { some: { gesture: { in: options.gestures } } } } : {}),
  };
  const annotations = await db.annotation.findMany({
    where,
    orderBy: [{ isGold: "desc" }, { updatedAt: "desc" }],
    select: {
      id: true,
      imageId: true,
      image: { select: { state: true, subjectId: true, subject: { select: { code: true } } } },
    },
  });
  const facts = await consentFactsBySubject([...new Set(annotations.map((a) => a.image.subjectId))]);
  const items: TExportItem[] = [];
  const leftOut = new Map<string, number>();
  const seen = new Set<string>();
  for (const annotation of annotations) {
    if (seen.has(annotation.imageId)) continue;
    seen.add(annotation.imageId);
    if (annotation.image.state !== "active") {
      leftOut.set(REFUSAL_REASONS.image_unavailable, (leftOut.get(REFUSAL_REASONS.image_unavailable) ?? 0) + 1);
      continue;
    }
    const records = facts.get(annotation.image.subjectId) ?? [];
    const decision = consentDecision(records, options.purpose, now);
    if (!decision.allowed) {
      leftOut.set(decision.message, (leftOut.get(decision.message) ?? 0) + 1);
      continue;
    }
    items.push({
      imageId: annotation.imageId,
      annotationId: annotation.id,
      subjectId: annotation.image.subjectId,
      subjectCode: annotation.image.subject.code,
      consentRecordId: recordInForce(records, now)!.id,
    });
  }
  const balanced = await balanceExportItems(items, options.balance, options.seed);
  for (const [reason, count] of balancingLeftOut(balanced.report)) leftOut.set(reason, count);
  return {
    items: balanced.kept,
    leftOut: [...leftOut].map(([reason, count]) => ({ reason, count })) satisfies TLeftOut[],
    balance: balanced.report,
  };
}
