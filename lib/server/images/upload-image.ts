import "server-only";
import { AppError } from "@/lib/errors/app-error";
import { REFUSAL_REASONS } from "@/lib/consent/rules";
import { consentDecisions } from "@/lib/server/consent/consent-facts";
import { getSubjectByCodeOrThrow, getSubjectOrThrow } from "@/lib/server/subjects/subjects";
import { ingestImage } from "./ingest-image";

/**
 * An upload from the browser or the API: the subject (by id or code) must consent to annotation
 * now, then the ingest pipeline runs. Refusals name the reason; nothing is stored for them.
 */
export async function uploadImage(input: {
  projectId: string;
  subject: { id: string } | { code: string };
  bytes: Buffer;
  filename: string;
  uploadedById: string;
}) {
  const subject =
    "id" in input.subject
      ? await getSubjectOrThrow(input.projectId, input.subject.id).catch(() => {
          throw new AppError("invalid_input", "Unknown subject", { subjectId: "Unknown subject" });
        })
      : await getSubjectByCodeOrThrow(input.projectId, input.subject.code).catch((error) => {
          throw new AppError("invalid_input", error.message, { subjectCode: "Unknown subject code" });
        });
  const decision = (await consentDecisions([subject.id], "annotation")).get(subject.id)!;
  if (!decision.allowed) {
    throw new AppError(
      "conflict",
      `${subject.code} has no active consent for annotation: ${REFUSAL_REASONS[decision.reason].toLowerCase()}. Record consent first.`,
      { subject: "No active consent" },
    );
  }
  return ingestImage({
    projectId: input.projectId,
    subjectId: subject.id,
    bytes: input.bytes,
    filename: input.filename,
    uploadedById: input.uploadedById,
  });
}
