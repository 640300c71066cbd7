// GET /api/v1/openapi.json – the scripting API's OpenAPI document (generated from the zod schemas)
import { NextResponse } from "next/server";
import { openApiDocument } from "@/lib/api/openapi";
import { publicRoute } from "@/lib/server/http/api-route";
import packageJson from "@/package.json";

export const GET = publicRoute({ reason: "describes the API's shape; holds no data" }, async () =>
  NextResponse.json(openApiDocument(packageJson.version)),
);
