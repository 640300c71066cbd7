import { SubjectForm } from "@/components/subjects/subject-form";
import { projectPage } from "@/lib/server/http/page";

export const metadata = { title: "New subject" };

export default projectPage({ permission: "consent.manage" }, async function NewSubjectPage({ params: { projectId } }) {
  return (
    <>
      <h2>New subject</h2>
      <SubjectForm projectId={projectId} />
    </>
  );
});
