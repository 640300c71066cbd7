import "server-only";
import { AppError } from "@/lib/errors/app-error";
import { keypointsOutsideImage } from "@/lib/hand/schema";
import type { TPreAnnotation } from "@/lib/images/pre-annotation";
import { db } from "@/lib/server/db";
import { imagePreAnnotationColumn } from "@/lib/server/db/json-columns";

/** Stores proposed hands for an active image of the project; new claims start from them. Joints must lie inside the image. */
export async function storePreAnnotation(projectId: string, imageId: string, proposal: TPreAnnotation): Promise<void> {
  const image = await db.image.findFirst({
    where: { id: imageId, projectId, state: "active" },
    select: { width: true, height: true },
  });
  if (!image) throw new AppError("not_found", "No such active image in this project");
  const outside = proposal.hands.findIndex(
    (hand) => keypointsOutsideImage(hand.keypoints, image.width, image.height).length > 0,
  );
  if (outside >= 0)
    throw new AppError(
      "invalid_input",
      `Hand ${outside + 1} has joints outside the ${image.width}×${image.height} image`,
      { [`hands.${outside}`]: "Outside the image" },
    );
  await db.image.update({ where: { id: imageId }, data: { preAnnotation: imagePreAnnotationColumn.write(proposal) } });
}
