import { ProjectDashboard } from "@/components/dashboard/project-dashboard";
import { guardPage, projectPage } from "@/lib/server/http/page";
import { getProjectStats } from "@/lib/server/stats/project-stats";

export const metadata = { title: "Dashboard" };

/** Managers only (audit.view): throughput, acceptance, gold agreement and flags per annotator; queues and flags per project. */
export default projectPage({ permission: "audit.view" }, async function DashboardPage({ params: { projectId } }) {
  const stats = await guardPage(getProjectStats(projectId));
  return <ProjectDashboard projectId={projectId} stats={stats} />;
});
