// GET /api/projects/{projectId}/consent-texts – versions; POST – add a new immutable version
import { NextResponse } from "next/server";
import { ZConsentTextInput } from "@/lib/consent/schema";
import { projectRoute } from "@/lib/server/http/api-route";
import { parseJson } from "@/lib/server/http/route";
import { createConsentText, listConsentTexts } from "@/lib/server/consent/consent-texts";

export const GET = projectRoute({ permission: "consent.manage" }, async ({ params }) => {
  return NextResponse.json({ consentTexts: await listConsentTexts(params.projectId) });
});

export const POST = projectRoute({ permission: "consent.manage" }, async ({ request, params, access }) => {
  const input = await parseJson(request, ZConsentTextInput);
  return NextResponse.json(
    { consentText: await createConsentText(params.projectId, input, access.user.id) },
    { status: 201 },
  );
});
