// POST /api/session – sign in with email and password; DELETE /api/session – sign out
import { NextResponse } from "next/server";
import { CredentialsSignin } from "next-auth";
import { AppError } from "@/lib/errors/app-error";
import { ZSignIn } from "@/lib/users/schema";
import { signIn, signOut } from "@/lib/server/auth/config";
import { clientAddress } from "@/lib/server/auth/client-address";
import { loginRetryAfterSeconds, tooManyAttempts } from "@/lib/server/auth/login-throttle";
import { publicRoute } from "@/lib/server/http/api-route";
import { parseJson } from "@/lib/server/http/route";

export const POST = publicRoute({ reason: "signing in is how a person gets a session" }, async ({ request }) => {
  const { email, password } = await parseJson(request, ZSignIn);
  try {
    await signIn("credentials", { email, password, redirect: false });
  } catch (error) {
    if (!(error instanceof CredentialsSignin)) throw error;
    if (error.code === "throttled") {
      throw tooManyAttempts(await loginRetryAfterSeconds({ email, address: clientAddress(request.headers) }));
    }
    if (error.code === "disabled")
      throw new AppError("forbidden", "This account is disabled. Ask an administrator to enable it.");
    throw new AppError("unauthenticated", "Wrong email or password");
  }
  return NextResponse.json({ ok: true });
});

export const DELETE = publicRoute(
  { reason: "signing out ends whatever session the caller holds, if any" },
  async () => {
    await signOut({ redirect: false });
    return NextResponse.json({ ok: true });
  },
);
