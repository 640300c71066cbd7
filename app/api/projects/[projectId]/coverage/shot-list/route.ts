// GET /api/projects/{projectId}/coverage/shot-list – what to photograph next, as CSV (managers; demographic cells small-cell protected)
import { projectRoute } from "@/lib/server/http/api-route";
import { parseCoverageQuery, shotListCsvFor } from "@/lib/server/coverage/coverage-report";

export const GET = projectRoute({ permission: "subjects.view" }, async ({ request, params }) => {
  const csv = await shotListCsvFor(params.projectId, parseCoverageQuery(request.url));
  return new Response(csv, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": 'attachment; filename="shot-list.csv"',
      "cache-control": "private, no-store",
    },
  });
});
