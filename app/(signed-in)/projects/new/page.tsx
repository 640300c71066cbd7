import { ProjectForm } from "@/components/projects/project-form";
import { ZProjectSettings } from "@/lib/project/schema";
import { userPage } from "@/lib/server/http/page";

export const metadata = { title: "New project" };

// Who may create a project is decided when it is created (lib/server/projects/create-project.ts).
export default userPage(async function NewProjectPage() {
  return (
    <>
      <h1>New project</h1>
      <ProjectForm initial={ZProjectSettings.parse({ name: "Untitled project" })} />
    </>
  );
});
