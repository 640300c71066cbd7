// GET /api/v1/openapi.json – the scripting API's OpenAPI document (generated from the zod schemas)
import { NextResponse } from "next/server";
import { openApiDocument } from "@/lib/api/openapi";
import packageJson from "@/package.json";

export const GET = () => NextResponse.json(openApiDocument(packageJson.version));
