// The scripting API (/api/v1): the same handlers as the web app, documented in /api/v1/openapi.json.
export { GET } from "@/app/api/projects/[projectId]/coverage/shot-list/route";
