import "server-only";
import { db } from "@/lib/server/db";

/** The project home page's figures: active images and annotations per status. */
export async function projectOverview(projectId: string) {
  const [images, annotations] = await Promise.all([
    db.image.count({ where: { projectId, state: "active" } }),
    db.annotation.groupBy({ by: ["status"], where: { image: { projectId } }, _count: true }),
  ]);
  return { images, byStatus: Object.fromEntries(annotations.map((row) => [row.status, row._count])) as Record<string, number> };
}
