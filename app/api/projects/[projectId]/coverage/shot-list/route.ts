// GET /api/projects/{projectId}/coverage/shot-list – what to photograph next, as CSV (managers; demographic cells small-cell protected)
import { requireProjectPermission } from "@/lib/server/auth/authorize";
import { route } from "@/lib/server/http/route";
import { parseCoverageQuery, shotListCsvFor } from "@/lib/server/coverage/coverage-report";

type TParams = { projectId: string };

export const GET = route<TParams>(async (request, { params }) => {
  await requireProjectPermission(params.projectId, "subjects.view");
  const csv = await shotListCsvFor(params.projectId, parseCoverageQuery(request.url));
  return new Response(csv, { headers: { "content-type": "text/csv; charset=utf-8", "content-disposition": 'attachment; filename="shot-list.csv"', "cache-control": "private, no-store" } });
});
