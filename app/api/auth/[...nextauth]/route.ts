import type { NextRequest } from "next/server";
import { handlers } from "@/lib/server/auth/config";
import { withThrottleAnswer } from "@/lib/server/auth/throttled-callback";
import { refuseForeignRequest } from "@/lib/server/http/request-guard";

const post = withThrottleAnswer(handlers.POST);

export const GET = handlers.GET;
export const POST = (request: NextRequest) => refuseForeignRequest(request) ?? post(request);
