// GET /api/health – for load balancers: 200 when this instance reaches its database and storage, else 503
import { NextResponse } from "next/server";
import { publicRoute } from "@/lib/server/http/api-route";
import { checkHealth } from "@/lib/server/health/check-health";

export const dynamic = "force-dynamic";

export const GET = publicRoute(
  { reason: "load balancers probe it without credentials; it answers no data" },
  async () => {
    const health = await checkHealth();
    return NextResponse.json(health, {
      status: health.ok ? 200 : 503,
      headers: { "Cache-Control": "no-store", ...(health.ok ? {} : { "Retry-After": "5" }) },
    });
  },
);
