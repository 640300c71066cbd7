import "server-only";
import { decideImageAccess, type TImageAccess, type TImageVariant } from "@/lib/auth/image-access";
import type { TProjectRole } from "@/lib/auth/permissions";
import { SLOT_HOLDING_STATUSES } from "@/lib/annotate/status";
import { consentDecisions } from "@/lib/server/consent/consent-facts";
import { db } from "@/lib/server/db";

/** What the person's own work on the image is now (lib/auth/image-access.ts decides what that allows). */
async function workOnImage(imageId: string, userId: string, now = new Date()) {
  const [annotations, openReviews] = await Promise.all([
    db.annotation.findMany({ where: { imageId, annotatorId: userId }, select: { status: true, leaseExpiresAt: true } }),
    db.review.count({
      where: {
        reviewerId: userId,
        decision: null,
        OR: [{ leaseExpiresAt: null }, { leaseExpiresAt: { gt: now } }],
        annotation: { imageId, status: "submitted" },
      },
    }),
  ]);
  const liveClaim = (a: { status: string; leaseExpiresAt: Date | null }) =>
    a.status === "draft" && !!a.leaseExpiresAt && a.leaseExpiresAt > now;
  return {
    isAnnotatorOfImage: annotations.some((a) => (SLOT_HOLDING_STATUSES as readonly string[]).includes(a.status)),
    annotatorNeedsOriginal: annotations.some(
      (a) => liveClaim(a) || a.status === "submitted" || a.status === "rejected",
    ),
    reviewerNeedsOriginal: openReviews > 0,
  };
}

/** The access decision for one person, role set and rendition of an image (after the project check). */
export async function imageAccessOf(
  image: { id: string; subjectId: string; state: string },
  userId: string,
  roles: readonly TProjectRole[],
  variant: TImageVariant,
  now = new Date(),
): Promise<TImageAccess> {
  const [work, decisions] = await Promise.all([
    workOnImage(image.id, userId, now),
    consentDecisions([image.subjectId], "annotation"),
  ]);
  return decideImageAccess({
    roles,
    variant,
    ...work,
    imageState: image.state,
    consentAllowsAnnotation: decisions.get(image.subjectId)!.allowed,
  });
}
