import { ImageUploader } from "@/components/images/image-uploader";
import { REFUSAL_REASONS } from "@/lib/consent/rules";
import { projectPage } from "@/lib/server/http/page";
import { consentDecisions } from "@/lib/server/consent/consent-facts";
import { listSubjects } from "@/lib/server/subjects/subjects";

export const metadata = { title: "Upload images" };

export default projectPage<{ projectId: string }, { subject?: string }>(
  { permission: "images.upload" },
  async function UploadPage({ params: { projectId }, searchParams: { subject: preselected } }) {
    const subjects = await listSubjects(projectId);
    const decisions = await consentDecisions(
      subjects.map((s) => s.id),
      "annotation",
    );
    const options = subjects.map((s) => {
      const decision = decisions.get(s.id)!;
      return {
        id: s.id,
        code: s.code,
        consentOk: decision.allowed,
        reason: decision.allowed ? undefined : REFUSAL_REASONS[decision.reason].toLowerCase(),
      };
    });
    // The preselected subject goes first so the uploader starts with it.
    options.sort((a, b) => Number(b.id === preselected) - Number(a.id === preselected));
    return (
      <>
        <h2>Upload images</h2>
        <ImageUploader projectId={projectId} subjects={options} />
      </>
    );
  },
);
