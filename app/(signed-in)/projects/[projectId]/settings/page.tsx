import { ProjectForm } from "@/components/projects/project-form";
import { requireProjectPermission } from "@/lib/server/auth/authorize";
import { guardPage } from "@/lib/server/http/page";
import { getProjectOrThrow } from "@/lib/server/projects/project-settings";

export const metadata = { title: "Project settings" };

export default async function ProjectSettingsPage({ params }: { params: Promise<{ projectId: string }> }) {
  const { projectId } = await params;
  await guardPage(requireProjectPermission(projectId, "project.manage"));
  const project = await getProjectOrThrow(projectId);
  return <ProjectForm projectId={projectId} initial={project} />;
}
