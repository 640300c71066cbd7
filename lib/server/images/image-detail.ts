import "server-only";
import { AppError } from "@/lib/errors/app-error";
import { consentDecisions } from "@/lib/server/consent/consent-facts";
import { db } from "@/lib/server/db";

/** An image of this project with its subject code, consent decision, annotations and audit history. */
export async function getImageDetail(projectId: string, imageId: string) {
  const image = await db.image.findFirst({
    where: { id: imageId, projectId },
    include: {
      subject: { select: { id: true, code: true } },
      uploadedBy: { select: { name: true } },
      annotations: {
        select: {
          id: true,
          status: true,
          isGold: true,
          goldScore: true,
          annotator: { select: { name: true } },
          updatedAt: true,
        },
      },
    },
  });
  if (!image) throw new AppError("not_found", "No such image in this project");
  const [decision, audit] = await Promise.all([
    consentDecisions([image.subjectId], "annotation").then((d) => d.get(image.subjectId)!),
    db.auditEvent.findMany({
      where: { projectId, targetId: imageId },
      orderBy: { at: "desc" },
      take: 100,
      select: { id: true, at: true, action: true, details: true, actor: { select: { name: true } } },
    }),
  ]);
  return { image, decision, audit };
}
