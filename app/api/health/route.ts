import { NextResponse } from "next/server";
import { checkHealth } from "@/lib/server/health/check-health";

export const dynamic = "force-dynamic";

/** For load balancers: 200 when this instance reaches its database and storage, else 503. Public; no data. */
export async function GET() {
  const health = await checkHealth();
  return NextResponse.json(health, { status: health.ok ? 200 : 503, headers: { "Cache-Control": "no-store", ...(health.ok ? {} : { "Retry-After": "5" }) } });
}
