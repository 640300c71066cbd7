// GET /api/projects/{projectId}/assignments – due and done assigned images per annotator (managers)
// POST /api/projects/{projectId}/assignments – assign named images or a batch of the oldest open ones to an annotator, or take them back
import { NextResponse } from "next/server";
import { ZAssignImages } from "@/lib/assignments/schema";
import { assignImages, assignmentSummary } from "@/lib/server/assignments/assign-images";
import { projectRoute } from "@/lib/server/http/api-route";
import { parseJson } from "@/lib/server/http/route";

export const GET = projectRoute({ permission: "project.manage" }, async ({ params }) =>
  NextResponse.json({ people: await assignmentSummary(params.projectId) }),
);

export const POST = projectRoute({ permission: "project.manage" }, async ({ request, params, access }) => {
  const input = await parseJson(request, ZAssignImages);
  return NextResponse.json(await assignImages(params.projectId, input, access.user.id));
});
