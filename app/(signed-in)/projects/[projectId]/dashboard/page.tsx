import { ProjectDashboard } from "@/components/dashboard/project-dashboard";
import { requireProjectPermission } from "@/lib/server/auth/authorize";
import { guardPage } from "@/lib/server/http/page";
import { getProjectStats } from "@/lib/server/stats/project-stats";

export const metadata = { title: "Dashboard" };

/** Managers only (audit.view): throughput, acceptance, gold agreement and flags per annotator; queues and flags per project. */
export default async function DashboardPage({ params }: { params: Promise<{ projectId: string }> }) {
  const { projectId } = await params;
  await guardPage(requireProjectPermission(projectId, "audit.view"));
  const stats = await guardPage(getProjectStats(projectId));
  return <ProjectDashboard projectId={projectId} stats={stats} />;
}
