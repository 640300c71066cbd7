// The scripting API (/api/v1): the same handlers as the web app, documented in /api/v1/openapi.json.
export { POST } from "@/app/api/projects/[projectId]/exports/[exportId]/rebuild/route";
