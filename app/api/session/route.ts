// POST /api/session – sign in with email and password; DELETE /api/session – sign out
import { NextResponse } from "next/server";
import { CredentialsSignin } from "next-auth";
import { AppError } from "@/lib/errors/app-error";
import { ZSignIn } from "@/lib/users/schema";
import { signIn, signOut } from "@/lib/server/auth/config";
import { clientAddress } from "@/lib/server/auth/client-address";
import { loginRetryAfterSeconds, tooManyAttempts } from "@/lib/server/auth/login-throttle";
import { parseJson, route } from "@/lib/server/http/route";

export const POST = route(async (request) => {
  const { email, password } = await parseJson(request, ZSignIn);
  try {
    await signIn("credentials", { email, password, redirect: false });
  } catch (error) {
    if (!(error instanceof CredentialsSignin)) throw error;
    if (error.code === "throttled") {
      throw tooManyAttempts(await loginRetryAfterSeconds({ email, address: clientAddress(request.headers) }));
    }
    if (error.code === "disabled") throw new AppError("forbidden", "This account is disabled. Ask an administrator to enable it.");
    throw new AppError("unauthenticated", "Wrong email or password");
  }
  return NextResponse.json({ ok: true });
});

export const DELETE = route(async () => {
  await signOut({ redirect: false });
  return NextResponse.json({ ok: true });
});
