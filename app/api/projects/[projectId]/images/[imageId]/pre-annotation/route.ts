// PUT /api/projects/{projectId}/images/{imageId}/pre-annotation – store proposed hands (e.g. the model's) that new claims start from (managers)
import { NextResponse } from "next/server";
import { AppError } from "@/lib/errors/app-error";
import { keypointsOutsideImage } from "@/lib/hand/schema";
import { ZPreAnnotation } from "@/lib/images/pre-annotation";
import { requireProjectPermission } from "@/lib/server/auth/authorize";
import { parseJson, route } from "@/lib/server/http/route";
import { db } from "@/lib/server/db";
import type { Prisma } from "@/lib/server/db/open";

export const PUT = route<{ projectId: string; imageId: string }>(async (request, { params }) => {
  await requireProjectPermission(params.projectId, "images.upload");
  const proposal = await parseJson(request, ZPreAnnotation);
  const image = await db.image.findFirst({ where: { id: params.imageId, projectId: params.projectId, state: "active" }, select: { width: true, height: true } });
  if (!image) throw new AppError("not_found", "No such active image in this project");
  const outside = proposal.hands.findIndex((hand) => keypointsOutsideImage(hand.keypoints, image.width, image.height).length > 0);
  if (outside >= 0) throw new AppError("invalid_input", `Hand ${outside + 1} has joints outside the ${image.width}×${image.height} image`, { [`hands.${outside}`]: "Outside the image" });
  await db.image.update({ where: { id: params.imageId }, data: { preAnnotation: proposal as unknown as Prisma.InputJsonValue } });
  return NextResponse.json({ ok: true, hands: proposal.hands.length });
});
