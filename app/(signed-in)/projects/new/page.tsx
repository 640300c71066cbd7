import { ProjectForm } from "@/components/projects/project-form";
import { ZProjectSettings } from "@/lib/project/schema";
import { requireUser } from "@/lib/server/auth/authorize";
import { guardPage } from "@/lib/server/http/page";

export const metadata = { title: "New project" };

export default async function NewProjectPage() {
  await guardPage(requireUser());
  return (
    <>
      <h1>New project</h1>
      <ProjectForm initial={ZProjectSettings.parse({ name: "Untitled project" })} />
    </>
  );
}
