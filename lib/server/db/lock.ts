import "server-only";
import { databaseTarget } from "@/lib/env";
import type { TTx } from "@/lib/server/audit/record-audit-event";

/**
 * Serialises read-then-write guards ("the last manager", "the last admin") between concurrent
 * transactions. PostgreSQL's default READ COMMITTED lets two transactions both pass a count check,
 * so there the rows are locked FOR UPDATE; SQLite already allows one writer at a time.
 */
export async function lockRowsForUpdate(
  tx: TTx,
  table: "Project" | "User",
  where: { id: string } | { isAdmin: true },
): Promise<void> {
  if (databaseTarget().provider !== "postgresql") return;
  if ("id" in where) await tx.$queryRawUnsafe(`SELECT "id" FROM "${table}" WHERE "id" = $1 FOR UPDATE`, where.id);
  else await tx.$queryRawUnsafe(`SELECT "id" FROM "${table}" WHERE "isAdmin" = true FOR UPDATE`);
}
