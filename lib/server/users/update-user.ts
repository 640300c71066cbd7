import "server-only";
import { AppError } from "@/lib/errors/app-error";
import type { TUpdateUser } from "@/lib/users/schema";
import { db } from "@/lib/server/db";
import { recordAuditEvent } from "@/lib/server/audit/record-audit-event";
import { lockRowsForUpdate } from "@/lib/server/db/lock";
import { hashPassword, randomPassword } from "@/lib/server/auth/password";
import { revokeAllCredentials } from "@/lib/server/auth/sessions";

/** Admin changes to an account. Guards against an installation left without an active admin. */
export async function updateUser(userId: string, change: TUpdateUser, actorId: string) {
  const newPassword = change.resetPassword ? randomPassword() : undefined;
  const passwordHash = newPassword ? await hashPassword(newPassword) : undefined;
  return db.$transaction(async (tx) => {
    await lockRowsForUpdate(tx, "User", { isAdmin: true });
    const user = await tx.user.findUnique({
      where: { id: userId },
      select: { id: true, isAdmin: true, disabledAt: true },
    });
    if (!user) throw new AppError("not_found", "No such user");
    const losesAdmin = user.isAdmin && !user.disabledAt && (change.isAdmin === false || change.disabled === true);
    if (losesAdmin) {
      const activeAdmins = await tx.user.count({ where: { isAdmin: true, disabledAt: null } });
      if (activeAdmins <= 1)
        throw new AppError("conflict", "This is the last active administrator; make someone else admin first");
    }
    const updated = await tx.user.update({
      where: { id: userId },
      data: {
        name: change.name,
        isAdmin: change.isAdmin,
        disabledAt:
          change.disabled === undefined ? undefined : change.disabled ? (user.disabledAt ?? new Date()) : null,
        ...(passwordHash ? { passwordHash, mustChangePassword: true } : {}),
      },
      select: { id: true, email: true, name: true, isAdmin: true, disabledAt: true },
    });
    // A reset or a disable means the account may be in the wrong hands: every session and API token ends now.
    if (passwordHash || change.disabled === true) await revokeAllCredentials(userId, tx);
    const { resetPassword, ...visibleChange } = change;
    await recordAuditEvent(
      {
        actorId,
        action: change.isAdmin !== undefined ? "user.role_changed" : "user.updated",
        targetType: "user",
        targetId: userId,
        details: { ...visibleChange, passwordReset: !!resetPassword },
      },
      tx,
    );
    return { ...updated, oneTimePassword: newPassword };
  });
}
