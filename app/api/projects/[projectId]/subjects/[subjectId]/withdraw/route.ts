// POST /api/projects/{projectId}/subjects/{subjectId}/withdraw – withdraw consent, with immediate effect
import { NextResponse } from "next/server";
import { ZWithdrawalInput } from "@/lib/consent/schema";
import { requireProjectPermission } from "@/lib/server/auth/authorize";
import { parseJson, route } from "@/lib/server/http/route";
import { withdrawConsent } from "@/lib/server/consent/withdraw-consent";

type TParams = { projectId: string; subjectId: string };

export const POST = route<TParams>(async (request, { params }) => {
  const { user } = await requireProjectPermission(params.projectId, "consent.manage");
  const input = await parseJson(request, ZWithdrawalInput);
  return NextResponse.json({ withdrawal: await withdrawConsent(params.projectId, params.subjectId, input, user.id) });
});
