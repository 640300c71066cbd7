import { SubjectForm } from "@/components/subjects/subject-form";
import { requireProjectPermission } from "@/lib/server/auth/authorize";
import { guardPage } from "@/lib/server/http/page";

export const metadata = { title: "New subject" };

export default async function NewSubjectPage({ params }: { params: Promise<{ projectId: string }> }) {
  const { projectId } = await params;
  await guardPage(requireProjectPermission(projectId, "consent.manage"));
  return (
    <>
      <h2>New subject</h2>
      <SubjectForm projectId={projectId} />
    </>
  );
}
