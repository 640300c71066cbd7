import { ProjectForm } from "@/components/projects/project-form";
import { projectPage } from "@/lib/server/http/page";
import { getProjectOrThrow } from "@/lib/server/projects/project-settings";

export const metadata = { title: "Project settings" };

export default projectPage(
  { permission: "project.manage" },
  async function ProjectSettingsPage({ params: { projectId } }) {
    const project = await getProjectOrThrow(projectId);
    return <ProjectForm projectId={projectId} initial={project} />;
  },
);
