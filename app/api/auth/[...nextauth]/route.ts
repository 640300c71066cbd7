import { handlers } from "@/lib/server/auth/config";
import { withThrottleAnswer } from "@/lib/server/auth/throttled-callback";

export const GET = handlers.GET;
export const POST = withThrottleAnswer(handlers.POST);
