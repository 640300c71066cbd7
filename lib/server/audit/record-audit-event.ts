import "server-only";
import type { Prisma, TDb } from "@/lib/server/db/open";
import { db } from "@/lib/server/db";

type TTx = Omit<TDb, "$connect" | "$disconnect" | "$on" | "$transaction" | "$extends">;

export type TAuditEvent = {
  actorId: string | null;
  projectId?: string | null;
  action: string;
  targetType: string;
  targetId?: string | null;
  details?: Prisma.InputJsonValue;
};

/** Appends one audit event, inside the caller's transaction when one is given. Never pass secrets in details. */
export async function recordAuditEvent(event: TAuditEvent, tx: TTx = db): Promise<void> {
  await tx.auditEvent.create({
    data: {
      actorId: event.actorId,
      projectId: event.projectId ?? null,
      action: event.action,
      targetType: event.targetType,
      targetId: event.targetId ?? null,
      details: event.details ?? {},
    },
  });
}

export type { TTx };
