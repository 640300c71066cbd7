import "server-only";
import NextAuth, { CredentialsSignin } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { ZSignIn } from "@/lib/users/schema";
import { authSecret } from "./secret";
import { authenticate } from "./authenticate";
import { clientAddress } from "./client-address";
import { createSession, revokeSession, SESSION_MAX_AGE_SECONDS } from "./sessions";

declare module "next-auth" {
  interface Session {
    user: { id: string; email: string; name: string };
    /** The server-side session row (lib/server/auth/sessions.ts) this JWT stands for. */
    sessionId?: string;
  }
  interface User {
    sessionId?: string;
  }
}

declare module "@auth/core/jwt" {
  interface JWT {
    userId?: string;
    sessionId?: string;
  }
}

class SignInRefused extends CredentialsSignin {
  constructor(code: string) {
    super();
    this.code = code;
  }
}

export const { handlers, auth, signIn, signOut } = NextAuth(() => ({
  secret: authSecret(),
  trustHost: true,
  session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_SECONDS },
  pages: { signIn: "/login" },
  logger: {
    // A refused sign-in is an expected outcome, not a server error: one line, never the credentials.
    error(error) {
      if (error instanceof CredentialsSignin) console.warn(`[auth] sign-in refused (${error.code})`);
      else console.error("[auth]", error);
    },
  },
  providers: [
    Credentials({
      credentials: { email: { type: "email" }, password: { type: "password" } },
      async authorize(credentials, request) {
        const parsed = ZSignIn.safeParse(credentials);
        if (!parsed.success) return null;
        const result = await authenticate(parsed.data.email, parsed.data.password, clientAddress(request.headers));
        if (!result.ok) throw new SignInRefused(result.reason);
        const sessionId = await createSession(result.user.id, request.headers.get("user-agent"));
        return { id: result.user.id, email: result.user.email, name: result.user.name, sessionId };
      },
    }),
  ],
  callbacks: {
    jwt({ token, user }) {
      if (user?.id) {
        token.userId = user.id;
        token.sessionId = user.sessionId;
      }
      return token;
    },
    session({ session, token }) {
      if (token.userId) session.user.id = token.userId;
      session.sessionId = token.sessionId;
      return session;
    },
  },
  events: {
    // Both sign-out paths (DELETE /api/session and Auth.js's own) end the server-side session, so a copied cookie dies too.
    async signOut(message) {
      const sessionId = "token" in message ? message.token?.sessionId : undefined;
      if (sessionId) await revokeSession(sessionId);
    },
  },
}));
