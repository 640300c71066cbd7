// GET /api/projects/{projectId}/consent-records/{recordId}/form – the signed form (managers; audit-logged)
import { projectRoute } from "@/lib/server/http/api-route";
import { readSignedForm } from "@/lib/server/consent/read-signed-form";

export const GET = projectRoute<{ projectId: string; recordId: string }>(
  { permission: "consent.manage" },
  async ({ params, access }) => {
    const { bytes, mimeType } = await readSignedForm(params.projectId, params.recordId, access.user.id);
    return new Response(new Uint8Array(bytes), {
      headers: { "content-type": mimeType, "cache-control": "private, no-store", "content-disposition": "inline" },
    });
  },
);
