// POST /api/projects/{projectId}/imports?as=accepted|pre-annotations&skipInvalid=1 – import a COCO keypoints file (multipart `file`) (managers)
import { NextResponse } from "next/server";
import { AppError } from "@/lib/errors/app-error";
import { projectRoute } from "@/lib/server/http/api-route";
import { importCoco } from "@/lib/server/import/import-coco";

const MAX_IMPORT_BYTES = 200 * 1024 * 1024;

export const POST = projectRoute({ permission: "project.manage" }, async ({ request, params, access }) => {
  if (Number(request.headers.get("content-length") ?? 0) > MAX_IMPORT_BYTES)
    throw new AppError("payload_too_large", "The import file is larger than 200 MB");
  const form = await request.formData().catch(() => null);
  const file = form?.get("file");
  if (!(file instanceof File))
    throw new AppError("invalid_input", "Send the COCO file as multipart/form-data in a `file` field", {
      file: "Missing",
    });
  const query = new URL(request.url).searchParams;
  const as = query.get("as") === "pre-annotations" ? "pre-annotations" : "accepted";
  return NextResponse.json({
    report: await importCoco(
      params.projectId,
      await file.text(),
      { skipInvalid: query.get("skipInvalid") === "1", as },
      access.user.id,
    ),
  });
});
