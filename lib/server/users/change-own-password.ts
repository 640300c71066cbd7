import "server-only";
import { AppError } from "@/lib/errors/app-error";
import type { TChangeOwnPassword } from "@/lib/users/schema";
import { db } from "@/lib/server/db";
import { recordAuditEvent } from "@/lib/server/audit/record-audit-event";
import { hashPassword, verifyPassword } from "@/lib/server/auth/password";

export async function changeOwnPassword(userId: string, input: TChangeOwnPassword): Promise<void> {
  const user = await db.user.findUniqueOrThrow({ where: { id: userId }, select: { passwordHash: true } });
  if (!(await verifyPassword(user.passwordHash, input.currentPassword))) {
    throw new AppError("invalid_input", "The current password is wrong", { currentPassword: "Wrong password" });
  }
  const passwordHash = await hashPassword(input.newPassword);
  await db.$transaction(async (tx) => {
    await tx.user.update({ where: { id: userId }, data: { passwordHash, mustChangePassword: false } });
    await recordAuditEvent({ actorId: userId, action: "user.password_changed", targetType: "user", targetId: userId }, tx);
  });
}
