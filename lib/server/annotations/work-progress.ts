import "server-only";
import { SLOT_HOLDING_STATUSES } from "@/lib/annotate/status";
import { db } from "@/lib/server/db";

export type TWorkProgress = { today: number; leftInQueue: number };

/**
 * An annotator's progress line ("12 today · 340 left in queue"): their submissions in this project since
 * `since` (the start of the day), and the active images nobody has started yet.
 * "Left" ignores consent and extra slots of double annotation: a quick, honest lower bound, not the
 * dashboard's exact queue figure.
 */
export async function workProgress(projectId: string, userId: string, since: Date): Promise<TWorkProgress> {
  const [today, leftInQueue] = await Promise.all([
    db.annotation.count({ where: { annotatorId: userId, submittedAt: { gte: since }, image: { projectId } } }),
    db.image.count({
      where: { projectId, state: "active", annotations: { none: { status: { in: [...SLOT_HOLDING_STATUSES] } } } },
    }),
  ]);
  return { today, leftInQueue };
}
