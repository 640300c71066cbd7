import "server-only";
import { readProjectRollup } from "@/lib/server/stats/project-stats";

/** The overview page's figures: active images, and annotations by status (both from the dashboard rollup). */
export async function getProjectOverview(
  projectId: string,
): Promise<{ images: number; byStatus: Record<string, number> }> {
  const { groups, queue } = await readProjectRollup(projectId);
  const images = queue.reduce((sum, row) => sum + row.images, 0);
  const byStatus: Record<string, number> = {};
  for (const group of groups) byStatus[group.status] = (byStatus[group.status] ?? 0) + group.annotations;
  return { images, byStatus };
}
