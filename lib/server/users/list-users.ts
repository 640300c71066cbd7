import "server-only";
import { db } from "@/lib/server/db";

export function listUsers() {
  return db.user.findMany({
    orderBy: { email: "asc" },
    select: {
      id: true,
      email: true,
      name: true,
      isAdmin: true,
      disabledAt: true,
      lastLoginAt: true,
      createdAt: true,
      _count: { select: { memberships: true } },
    },
  });
}
