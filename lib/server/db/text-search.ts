import "server-only";
import { databaseTarget } from "@/lib/env";

/**
 * A case-insensitive "contains" filter on both databases: SQLite's LIKE already ignores ASCII case
 * (and Prisma refuses `mode` there); PostgreSQL needs `mode: "insensitive"`.
 */
export function textContains(query: string) {
  return databaseTarget().provider === "postgresql"
    ? { contains: query, mode: "insensitive" as const }
    : { contains: query };
}
