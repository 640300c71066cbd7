import "server-only";
import { ZProjectRole, type TProjectRole } from "@/lib/auth/permissions";
import { db } from "@/lib/server/db";
import type { TCurrentUser } from "@/lib/server/auth/current-user";

export type TProjectListItem = { id: string; name: string; description: string; roles: TProjectRole[]; memberCount: number; imageCount: number };

/** Projects the person works in; admins also see every other project (to repair memberships). */
export async function listProjectsFor(user: TCurrentUser): Promise<TProjectListItem[]> {
  const projects = await db.project.findMany({
    where: user.isAdmin ? {} : { memberships: { some: { userId: user.id } } },
    orderBy: { createdAt: "desc" },
    select: {
      id: true, name: true, description: true,
      memberships: { select: { userId: true, role: true } },
      _count: { select: { images: true } },
    },
  });
  return projects.map((project) => ({
    id: project.id,
    name: project.name,
    description: project.description,
    roles: project.memberships.filter((m) => m.userId === user.id).map((m) => ZProjectRole.parse(m.role)),
    memberCount: new Set(project.memberships.map((m) => m.userId)).size,
    imageCount: project._count.images,
  }));
}
