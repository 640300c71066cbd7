import "server-only";
import { AppError } from "@/lib/errors/app-error";
import { mayCreateProjects } from "@/lib/auth/permissions";
import type { TProjectSettings } from "@/lib/project/schema";
import { db } from "@/lib/server/db";
import { recordAuditEvent } from "@/lib/server/audit/record-audit-event";
import type { TCurrentUser } from "@/lib/server/auth/current-user";

/** Creates a project; its creator becomes its first manager. */
export async function createProject(settings: TProjectSettings, actor: TCurrentUser) {
  const managesAny = (await db.membership.count({ where: { userId: actor.id, role: "manager" } })) > 0;
  if (!mayCreateProjects(actor, managesAny)) {
    throw new AppError("forbidden", "Only administrators and project managers may create projects");
  }
  return db.$transaction(async (tx) => {
    const project = await tx.project.create({
      data: { ...settings, createdById: actor.id, memberships: { create: { userId: actor.id, role: "manager" } } },
      select: { id: true, name: true },
    });
    await recordAuditEvent(
      {
        actorId: actor.id,
        projectId: project.id,
        action: "project.created",
        targetType: "project",
        targetId: project.id,
        details: { name: project.name },
      },
      tx,
    );
    return project;
  });
}

export async function updateProject(projectId: string, change: Partial<TProjectSettings>, actorId: string) {
  return db.$transaction(async (tx) => {
    const project = await tx.project.update({
      where: { id: projectId },
      data: change,
      select: { id: true, name: true },
    });
    await recordAuditEvent(
      {
        actorId,
        projectId,
        action: "project.updated",
        targetType: "project",
        targetId: projectId,
        details: { fields: Object.keys(change) },
      },
      tx,
    );
    return project;
  });
}
