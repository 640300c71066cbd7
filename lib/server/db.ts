import "server-only";
import { openDatabase, type TDb } from "./db/open";
import { databaseTarget } from "@/lib/env";

const globalForDb = globalThis as unknown as { phalanxDb?: TDb };

/** One Prisma client per process (reused across hot reloads in development). */
export const db: TDb = globalForDb.phalanxDb ?? openDatabase(databaseTarget());
if (process.env.NODE_ENV !== "production") globalForDb.phalanxDb = db;
