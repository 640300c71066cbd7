/**
 * The project both claim benchmarks (bench/claim.ts, bench/claim-http.ts) claim from, and their temporary
 * PostgreSQL database.
 */
import { randomBytes } from "node:crypto";
import pg from "pg";
import type { TDb } from "@/lib/server/db/open";

const SUBJECTS = 40;

/**
 * A project with `images` active images, oldest first, spread over 40 subjects; every tenth subject has no
 * consent, so its images are in the table (and in the queue's index) but never handed out.
 */
export async function seedClaimProject(db: TDb, createdById: string, images: number, name: string) {
  const project = await db.project.create({
    data: { name, gestures: ["open_palm"], handAttributes: [], imageFlags: [], createdById },
  });
  const text = await db.consentText.create({
    data: {
      projectId: project.id,
      version: "v1",
      body: "…",
      sha256: "0".repeat(64),
      scopes: ["annotation"],
      biometricNotice: "…",
    },
  });
  const subjects: string[] = [];
  for (let s = 0; s < SUBJECTS; s++) {
    const subject = await db.subject.create({ data: { projectId: project.id, code: `S-${s}` } });
    if (s % 10 !== 9)
      await db.consentRecord.create({
        data: {
          subjectId: subject.id,
          consentTextId: text.id,
          scopes: ["annotation"],
          biometricNoticeAcknowledged: true,
          signedAt: new Date(Date.now() - 86_400_000),
          jurisdiction: "EU",
          retentionUntil: new Date(Date.now() + 365 * 86_400_000),
        },
      });
    subjects.push(subject.id);
  }
  const t0 = Date.now() - 86_400_000;
  for (let start = 0; start < images; start += 500)
    await db.image.createMany({
      data: Array.from({ length: Math.min(500, images - start) }, (_, k) => ({
        projectId: project.id,
        subjectId: subjects[(start + k) % subjects.length],
        sha256: randomBytes(16).toString("hex"),
        byteSize: 1,
        mimeType: "image/jpeg",
        width: 4000,
        height: 3000,
        metadata: {},
        createdAt: new Date(t0 + (start + k) * 1000),
      })),
    });
  return project;
}

async function adminQuery(adminUrl: string, sql: string) {
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 3000 });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** Whether the PostgreSQL server behind the admin URL answers. */
export const postgresReachable = (adminUrl: string) =>
  adminQuery(adminUrl, "SELECT 1").then(
    () => true,
    () => false,
  );

/** A new empty database on the admin URL's server: its URL, and `drop` to remove it. */
export async function temporaryPostgresDatabase(adminUrl: string) {
  const name = `phalanx_bench_${randomBytes(6).toString("hex")}`;
  await adminQuery(adminUrl, `CREATE DATABASE "${name}"`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => adminQuery(adminUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
  };
}
