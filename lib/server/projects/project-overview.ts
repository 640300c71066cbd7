import "server-only";
import { db } from "@/lib/server/db";
import { readProjectRollup } from "@/lib/server/stats/project-stats";

/** The overview page's figures: active images, and annotations by status (from the dashboard rollup). */
export async function getProjectOverview(
  projectId: string,
): Promise<{ images: number; byStatus: Record<string, number> }> {
  const [images, { groups }] = await Promise.all([
    db.image.count({ where: { projectId, state: "active" } }),
    readProjectRollup(projectId),
  ]);
  const byStatus: Record<string, number> = {};
  for (const group of groups) byStatus[group.status] = (byStatus[group.status] ?? 0) + group.annotations;
  return { images, byStatus };
}
