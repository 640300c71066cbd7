import "server-only";
import { z } from "zod";
import { MONK_BANDS, type TDimensionId } from "@/lib/coverage/dimensions";
import { ZCoverageQuery } from "@/lib/coverage/query";
import type { TProgressLine } from "@/lib/coverage/targets";
import { AppError } from "@/lib/errors/app-error";
import { db } from "@/lib/server/db";
import { recordAuditEvent } from "@/lib/server/audit/record-audit-event";
import { getCoverage } from "./coverage-report";

export const ZQueueSetting = z.object({ queueCoverageFirst: z.boolean() });

/** Open targets change slowly; each instance recomputes them at most this often per project. */
const TTL_MS = 60_000;
const cache = new Map<string, { at: number; subjectIds: string[] }>();

type TSubject = { id: string; ageBand: string | null; sexOrGender: string | null; monkSkinTone: number | null };

/**
 * Whether a subject's images can fill an open target's cell, judged before anything is labelled: only
 * what is known of the person counts — self-reported demographics, and their self-reported Monk tone
 * standing in for the perceived skin tone of their hands. Other dimensions (gesture, view, …) are
 * unknown until labelled and do not restrict.
 */
function subjectFills(subject: TSubject, cell: TProgressLine["cell"]): boolean {
  const tone = subject.monkSkinTone == null ? null : String(subject.monkSkinTone);
  const band = MONK_BANDS.find((b) => (b.tones as readonly number[]).includes(subject.monkSkinTone ?? -1))?.id ?? null;
  const known: Partial<Record<TDimensionId, string | null>> = {
    ageBand: subject.ageBand,
    sexOrGender: subject.sexOrGender?.trim().toLowerCase() || null,
    subjectSkinTone: tone,
    subjectSkinToneBand: band,
    skinTone: tone,
    skinToneBand: band,
  };
  const predictive = (Object.keys(cell) as TDimensionId[]).filter((d) => d in known);
  return predictive.length > 0 && predictive.every((d) => known[d] !== null && cell[d]!.includes(known[d]!));
}

/** Subjects whose images would help an open "at least" target of the project (cached per instance). */
export async function subjectsFillingOpenTargets(projectId: string, now = Date.now()): Promise<string[]> {
  const hit = cache.get(projectId);
  if (hit && now - hit.at < TTL_MS) return hit.subjectIds;
  const report = await getCoverage(projectId, ZCoverageQuery.parse({ scope: "labelled" }));
  const open = report.targets.filter((line) => !line.met && line.kind !== "max_share");
  const subjects = open.length
    ? await db.subject.findMany({
        where: { projectId },
        select: { id: true, ageBand: true, sexOrGender: true, monkSkinTone: true },
      })
    : [];
  const subjectIds = subjects.filter((s) => open.some((line) => subjectFills(s, line.cell))).map((s) => s.id);
  cache.set(projectId, { at: now, subjectIds });
  return subjectIds;
}

export async function queueCoverageFirst(projectId: string): Promise<boolean> {
  const project = await db.project.findUnique({ where: { id: projectId }, select: { queueCoverageFirst: true } });
  return project?.queueCoverageFirst ?? false;
}

export async function setQueueCoverageFirst(
  projectId: string,
  enabled: boolean,
  actorId: string,
): Promise<{ queueCoverageFirst: boolean }> {
  return db.$transaction(async (tx) => {
    const { count } = await tx.project.updateMany({ where: { id: projectId }, data: { queueCoverageFirst: enabled } });
    if (count === 0) throw new AppError("not_found", "No such project");
    await recordAuditEvent(
      {
        actorId,
        projectId,
        action: "project.updated",
        targetType: "project",
        targetId: projectId,
        details: { queueCoverageFirst: enabled },
      },
      tx,
    );
    cache.delete(projectId);
    return { queueCoverageFirst: enabled };
  });
}
