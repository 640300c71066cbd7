// The scripting API (/api/v1): the same handlers as the web app, documented in /api/v1/openapi.json.
export { PUT, DELETE } from "@/app/api/projects/[projectId]/coverage/targets/[targetId]/route";
