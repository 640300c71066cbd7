import "server-only";
import { db } from "@/lib/server/db";

export type TWorkItem = {
  annotationId: string;
  imageId: string;
  status: string;
  version: number;
  updatedAt: Date;
  leaseExpiresAt: Date | null;
  submittedAt: Date | null;
};
export type TReturnedItem = TWorkItem & { reviewComment: string | null };
export type TMyWork = {
  /** Claimed and not yet handed in (a draft whose lease ran out is expired at the next claim). */
  drafts: TWorkItem[];
  /** Handed in, waiting for review: the latest SUBMITTED_LIMIT; `submittedTotal` counts them all. */
  submitted: TWorkItem[];
  submittedTotal: number;
  /** Returned by review (status rejected): fix and submit again. */
  returned: TReturnedItem[];
};

export const SUBMITTED_LIMIT = 100;

const ITEM_SELECT = {
  id: true,
  imageId: true,
  status: true,
  version: true,
  updatedAt: true,
  leaseExpiresAt: true,
  submittedAt: true,
} as const;
const item = (row: {
  id: string;
  imageId: string;
  status: string;
  version: number;
  updatedAt: Date;
  leaseExpiresAt: Date | null;
  submittedAt: Date | null;
}): TWorkItem => ({
  annotationId: row.id,
  imageId: row.imageId,
  status: row.status,
  version: row.version,
  updatedAt: row.updatedAt,
  leaseExpiresAt: row.leaseExpiresAt,
  submittedAt: row.submittedAt,
});

/** One annotator's work in a project, newest first. Images that left the queue (withdrawn consent) are not listed. */
export async function listMyWork(projectId: string, userId: string): Promise<TMyWork> {
  const mine = (status: string) => ({ annotatorId: userId, status, image: { projectId, state: "active" } });
  const [drafts, submitted, submittedTotal, returned] = await Promise.all([
    db.annotation.findMany({ where: mine("draft"), orderBy: { updatedAt: "desc" }, select: ITEM_SELECT }),
    db.annotation.findMany({
      where: mine("submitted"),
      orderBy: { updatedAt: "desc" },
      take: SUBMITTED_LIMIT,
      select: ITEM_SELECT,
    }),
    db.annotation.count({ where: mine("submitted") }),
    db.annotation.findMany({
      where: mine("rejected"),
      orderBy: { updatedAt: "desc" },
      select: {
        ...ITEM_SELECT,
        reviews: { where: { decision: "reject" }, orderBy: { createdAt: "desc" }, take: 1, select: { comment: true } },
      },
    }),
  ]);
  return {
    drafts: drafts.map(item),
    submitted: submitted.map(item),
    submittedTotal,
    returned: returned.map((row) => ({ ...item(row), reviewComment: row.reviews[0]?.comment ?? null })),
  };
}
