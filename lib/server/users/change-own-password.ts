import "server-only";
import { AppError } from "@/lib/errors/app-error";
import type { TChangeOwnPassword } from "@/lib/users/schema";
import { db } from "@/lib/server/db";
import { recordAuditEvent } from "@/lib/server/audit/record-audit-event";
import { hashPassword, verifyPassword } from "@/lib/server/auth/password";
import { throttledPasswordCheck, tooManyAttempts } from "@/lib/server/auth/login-throttle";
import { revokeSessions } from "@/lib/server/auth/sessions";

export type TPasswordChangeContext = {
  /** The session that asked stays signed in; every other session of the person ends. */
  keepSessionId: string | null;
  /** The client's address: the current-password check shares the sign-in throttle. */
  address: string;
};

export async function changeOwnPassword(
  userId: string,
  input: TChangeOwnPassword,
  context: TPasswordChangeContext,
): Promise<void> {
  const user = await db.user.findUniqueOrThrow({ where: { id: userId }, select: { email: true, passwordHash: true } });
  const check = await throttledPasswordCheck({ email: user.email, address: context.address }, () =>
    verifyPassword(user.passwordHash, input.currentPassword),
  );
  if ("throttled" in check) throw tooManyAttempts(check.retryAfterSeconds);
  if (!check.ok)
    throw new AppError("invalid_input", "The current password is wrong", { currentPassword: "Wrong password" });
  const passwordHash = await hashPassword(input.newPassword);
  await db.$transaction(async (tx) => {
    await tx.user.update({ where: { id: userId }, data: { passwordHash, mustChangePassword: false } });
    const endedSessions = await revokeSessions(userId, { exceptSessionId: context.keepSessionId, tx });
    await recordAuditEvent(
      {
        actorId: userId,
        action: "user.password_changed",
        targetType: "user",
        targetId: userId,
        details: { endedSessions },
      },
      tx,
    );
  });
}
