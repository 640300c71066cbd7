import "server-only";
import { AppError } from "@/lib/errors/app-error";
import type { TCreateUser } from "@/lib/users/schema";
import { db } from "@/lib/server/db";
import { recordAuditEvent } from "@/lib/server/audit/record-audit-event";
import { hashPassword, randomPassword } from "@/lib/server/auth/password";

export type TCreatedUser = { id: string; email: string; name: string; isAdmin: boolean; oneTimePassword?: string };

/**
 * Creates an account. Without a chosen password a random one is returned once (for the admin to
 * hand over) and the person must change it at first sign-in.
 */
export async function createUser(input: TCreateUser, actorId: string | null): Promise<TCreatedUser> {
  const generated = input.password ? undefined : randomPassword();
  const passwordHash = await hashPassword(input.password ?? generated!);
  return db.$transaction(async (tx) => {
    if (await tx.user.findUnique({ where: { email: input.email }, select: { id: true } })) {
      throw new AppError("conflict", "A user with this email already exists", { email: "Already in use" });
    }
    const user = await tx.user.create({
      data: {
        email: input.email,
        name: input.name,
        passwordHash,
        isAdmin: input.isAdmin,
        mustChangePassword: !!generated,
      },
      select: { id: true, email: true, name: true, isAdmin: true },
    });
    await recordAuditEvent(
      {
        actorId,
        action: "user.created",
        targetType: "user",
        targetId: user.id,
        details: { email: user.email, isAdmin: user.isAdmin },
      },
      tx,
    );
    return { ...user, oneTimePassword: generated };
  });
}
