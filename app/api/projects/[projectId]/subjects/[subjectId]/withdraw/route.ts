// POST /api/projects/{projectId}/subjects/{subjectId}/withdraw – withdraw consent, with immediate effect
import { NextResponse } from "next/server";
import { ZWithdrawalInput } from "@/lib/consent/schema";
import { projectRoute } from "@/lib/server/http/api-route";
import { parseJson } from "@/lib/server/http/route";
import { withdrawConsent } from "@/lib/server/consent/withdraw-consent";

export const POST = projectRoute<{ projectId: string; subjectId: string }>(
  { permission: "consent.manage" },
  async ({ request, params, access }) => {
    const input = await parseJson(request, ZWithdrawalInput);
    return NextResponse.json({
      withdrawal: await withdrawConsent(params.projectId, params.subjectId, input, access.user.id),
    });
  },
);
