// GET /api/projects/{projectId}/consent-texts – versions; POST – add a new immutable version
import { NextResponse } from "next/server";
import { ZConsentTextInput } from "@/lib/consent/schema";
import { requireProjectPermission } from "@/lib/server/auth/authorize";
import { parseJson, route } from "@/lib/server/http/route";
import { createConsentText, listConsentTexts } from "@/lib/server/consent/consent-texts";

type TParams = { projectId: string };

export const GET = route<TParams>(async (_request, { params }) => {
  await requireProjectPermission(params.projectId, "consent.manage");
  return NextResponse.json({ consentTexts: await listConsentTexts(params.projectId) });
});

export const POST = route<TParams>(async (request, { params }) => {
  const { user } = await requireProjectPermission(params.projectId, "consent.manage");
  const input = await parseJson(request, ZConsentTextInput);
  return NextResponse.json({ consentText: await createConsentText(params.projectId, input, user.id) }, { status: 201 });
});
