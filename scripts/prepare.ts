/**
 * Prepares the database before the server starts (run by `npm start` and `npm run dev`):
 * validates the configuration, applies pending migrations, creates the AUTH_SECRET file for the
 * embedded default, the first administrator, and the demo project when the database is empty.
 * Passwords are printed once, here, and never logged anywhere else.
 */
import { databaseTarget, env } from "@/lib/env";
import { applyMigrations } from "@/lib/server/db/migrate";
import { authSecret } from "@/lib/server/auth/secret";

async function main() {
  const target = databaseTarget();
  authSecret();
  const { storage } = await import("@/lib/server/storage/storage");
  storage(); // a storage misconfiguration stops the start here, with the variables named
  const announcement: string[] = [];
  // Seeding runs under the start lock (PostgreSQL's advisory lock, a lock file beside a SQLite database) and is
  // idempotent, so any number of instances can start together on an empty database: exactly one seeds.
  const { applied } = await applyMigrations(target, {
    log: (line) => console.log(`  ${line}`),
    whileLocked: async () => {
      announcement.push(...((await seed(target.provider)) ?? []));
    },
  });
  console.log(
    `Database: ${target.provider}${target.provider === "sqlite" ? ` (${target.filename})` : ""}, ${applied.length} migration(s) applied`,
  );
  if (announcement.length) console.log(announcement.join("\n") + "\n");
  const { db } = await import("@/lib/server/db");
  await db.$disconnect();
}

/** Returns the lines announcing the first admin (and demo people), or null when someone else already did. */
async function seed(provider: "sqlite" | "postgresql"): Promise<string[] | null> {
  // Imported after migrating: these open the Prisma client.
  const { ensureAdmin } = await import("@/lib/server/setup/ensure-admin");
  const { seedDemo } = await import("@/lib/server/setup/seed-demo");
  const { db } = await import("@/lib/server/db");
  const { sweepExpiredConsent } = await import("@/lib/server/consent/sweep-retention");

  if (provider === "sqlite") await db.$queryRawUnsafe("PRAGMA journal_mode=WAL");
  const swept = await sweepExpiredConsent();
  if (swept.expiredSubjects || swept.purgedLeftovers) {
    console.log(
      `Retention sweep: ${swept.expiredSubjects} subject(s) past their retention deadline withdrawn, ${swept.purgedLeftovers} purged image(s) cleaned`,
    );
  }
  const { reconcileStorage } = await import("@/lib/server/storage/reconcile");
  const reconciled = await reconcileStorage();
  if (reconciled.removedOrphans.length || reconciled.removedTemp || reconciled.missing.length) {
    console.log(
      `Storage reconcile: ${reconciled.removedOrphans.length} object(s) without a row and ${reconciled.removedTemp} temp file(s) removed; ${reconciled.missing.length} row(s) with a missing file`,
    );
  }
  const admin = await ensureAdmin();
  if (!admin) return null;
  const lines = ["", "First start: an administrator account was created."];
  lines.push(
    `  admin   ${admin.email}   ${admin.password ? `password: ${admin.password}  (shown once; change it after signing in)` : "(password from PHALANX_ADMIN_PASSWORD)"}`,
  );
  if (env().PHALANX_DEMO !== "0") {
    const adminRow = await db.user.findUniqueOrThrow({ where: { email: admin.email }, select: { id: true } });
    const people = await seedDemo(adminRow.id);
    lines.push("A demo project was created with these people (passwords shown once):");
    for (const person of people)
      lines.push(`  ${person.roles.join(",").padEnd(9)} ${person.email.padEnd(32)} password: ${person.password}`);
  }
  return lines;
}

main().catch((error) => {
  console.error(`Phalanx could not start: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
});
