// POST /api/projects/{projectId}/subjects/{subjectId}/consent – append a consent record
// (JSON, or multipart with a `record` JSON field and an optional signed `form` file)
import { NextResponse } from "next/server";
import { ZConsentRecordInput } from "@/lib/consent/schema";
import { projectRoute } from "@/lib/server/http/api-route";
import { parseJson, parseMultipartJson } from "@/lib/server/http/route";
import { recordConsent } from "@/lib/server/consent/record-consent";

export const POST = projectRoute<{ projectId: string; subjectId: string }>(
  { permission: "consent.manage" },
  async ({ request, params, access }) => {
    const multipart = request.headers.get("content-type")?.startsWith("multipart/form-data");
    const { data, files } = multipart
      ? await parseMultipartJson(request, "record", ZConsentRecordInput)
      : { data: await parseJson(request, ZConsentRecordInput), files: new Map<string, File>() };
    const file = files.get("form");
    const form = file && file.size > 0 ? { bytes: Buffer.from(await file.arrayBuffer()), filename: file.name } : null;
    const record = await recordConsent(params.projectId, params.subjectId, data, form, access.user.id);
    return NextResponse.json({ record }, { status: 201 });
  },
);
