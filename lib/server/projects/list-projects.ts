import "server-only";
import { ZProjectRole, type TProjectRole } from "@/lib/auth/permissions";
import { db } from "@/lib/server/db";
import { Prisma } from "@/lib/server/db/generated/sqlite/client";
import type { TCurrentUser } from "@/lib/server/auth/current-user";

export type TProjectListItem = {
  id: string;
  name: string;
  description: string;
  roles: TProjectRole[];
  memberCount: number;
  imageCount: number;
};

/** Projects the person works in; admins also see every other project (to repair memberships). */
export async function listProjectsFor(user: TCurrentUser): Promise<TProjectListItem[]> {
  const projects = await db.project.findMany({
    where: user.isAdmin ? {} : { memberships: { some: { userId: user.id } } },
    orderBy: { createdAt: "desc" },
    select: {
      id: true,
      name: true,
      description: true,
      memberships: { select: { userId: true, role: true } },
    },
  });
  // Image counts per listed project from the projectId index (a relation count would group every image of every project).
  const counts = new Map<string, number>();
  if (projects.length) {
    const rows = await db.$queryRaw<{ id: string; n: number | bigint }[]>(
      projectImageCountsSql(projects.map((p) => p.id)),
    );
    for (const row of rows) counts.set(row.id, Number(row.n));
  }
  return projects.map((project) => ({
    id: project.id,
    name: project.name,
    description: project.description,
    roles: project.memberships.filter((m) => m.userId === user.id).map((m) => ZProjectRole.parse(m.role)),
    memberCount: new Set(project.memberships.map((m) => m.userId)).size,
    imageCount: counts.get(project.id) ?? 0,
  }));
}

/** How many images each of these projects has (any state). */
export function projectImageCountsSql(projectIds: string[]): Prisma.Sql {
  return Prisma.sql`SELECT p."id" AS "id", (SELECT COUNT(*) FROM "Image" i WHERE i."projectId" = p."id") AS "n" FROM "Project" p WHERE p."id" IN (${Prisma.join(projectIds)})`;
}
