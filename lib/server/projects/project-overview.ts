import "server-only";
import { db } from "@/lib/server/db";

/** The overview page's figures: active images, and annotations by status. */
export async function getProjectOverview(
  projectId: string,
): Promise<{ images: number; byStatus: Record<string, number> }> {
  const [images, annotations] = await Promise.all([
    db.image.count({ where: { projectId, state: "active" } }),
    db.annotation.groupBy({ by: ["status"], where: { image: { projectId } }, _count: true }),
  ]);
  return { images, byStatus: Object.fromEntries(annotations.map((row) => [row.status, row._count])) };
}
