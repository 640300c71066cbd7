// POST /api/projects/{projectId}/subjects/{subjectId}/consent – append a consent record
// (JSON, or multipart with a `record` JSON field and an optional signed `form` file)
import { NextResponse } from "next/server";
import { ZConsentRecordInput } from "@/lib/consent/schema";
import { requireProjectPermission } from "@/lib/server/auth/authorize";
import { parseJson, parseMultipartJson, route } from "@/lib/server/http/route";
import { recordConsent } from "@/lib/server/consent/record-consent";

type TParams = { projectId: string; subjectId: string };

export const POST = route<TParams>(async (request, { params }) => {
  const { user } = await requireProjectPermission(params.projectId, "consent.manage");
  const multipart = request.headers.get("content-type")?.startsWith("multipart/form-data");
  const { data, files } = multipart
    ? await parseMultipartJson(request, "record", ZConsentRecordInput)
    : { data: await parseJson(request, ZConsentRecordInput), files: new Map<string, File>() };
  const file = files.get("form");
  const form = file && file.size > 0 ? { bytes: Buffer.from(await file.arrayBuffer()), filename: file.name } : null;
  const record = await recordConsent(params.projectId, params.subjectId, data, form, user.id);
  return NextResponse.json({ record }, { status: 201 });
});
