// GET /api/projects/{projectId}/images – list with filters (managers)
// POST /api/projects/{projectId}/images – upload one image (multipart: `file`, and `subjectId` or `subjectCode`)
import { NextResponse } from "next/server";
import { AppError } from "@/lib/errors/app-error";
import { env } from "@/lib/env";
import { ZGalleryFilters } from "@/lib/images/gallery-filters";
import { ZSubjectCode } from "@/lib/subjects/schema";
import { projectRoute } from "@/lib/server/http/api-route";
import { fieldErrors } from "@/lib/server/http/route";
import { listImages } from "@/lib/server/images/list-images";
import { uploadImage } from "@/lib/server/images/upload-image";

export const GET = projectRoute({ permission: "images.upload" }, async ({ request, params }) => {
  const filters = ZGalleryFilters.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!filters.success) throw new AppError("invalid_input", "Invalid filters", fieldErrors(filters.error));
  return NextResponse.json(await listImages(params.projectId, filters.data));
});

export const POST = projectRoute({ permission: "images.upload" }, async ({ request, params, access }) => {
  // Refuse oversized bodies before buffering them (the form fields add a little beyond the file).
  const maxBytes = env().PHALANX_MAX_UPLOAD_BYTES;
  const declared = Number(request.headers.get("content-length") ?? 0);
  if (declared > maxBytes + 64 * 1024)
    throw new AppError(
      "payload_too_large",
      `The file is above the upload limit of ${Math.round(maxBytes / 1024 / 1024)} MiB`,
      { file: "File too large" },
    );
  let form: FormData;
  try {
    form = await request.formData();
  } catch {
    throw new AppError("invalid_input", "Send the image as multipart/form-data with a `file` field");
  }
  const file = form.get("file");
  if (!(file instanceof File)) throw new AppError("invalid_input", "No file in the `file` field", { file: "Missing" });
  const subjectId = form.get("subjectId");
  const subjectCode = form.get("subjectCode");
  let subject: { id: string } | { code: string };
  if (typeof subjectId === "string" && subjectId) subject = { id: subjectId };
  else {
    const code = ZSubjectCode.safeParse(subjectCode);
    if (!code.success)
      throw new AppError("invalid_input", "Name the subject with `subjectId` or `subjectCode` (like S-0042)", {
        subjectCode: "Missing or malformed",
      });
    subject = { code: code.data };
  }
  const {
    originalKey: _o,
    displayKey: _d,
    thumbKey: _t,
    ...image
  } = await uploadImage({
    projectId: params.projectId,
    subject,
    bytes: Buffer.from(await file.arrayBuffer()),
    filename: file.name,
    uploadedById: access.user.id,
  });
  // Storage keys stay on the server: images leave only through /api/images/….
  return NextResponse.json({ image }, { status: 201 });
});
