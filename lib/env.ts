/**
 * The only module that reads process.env. Everything is validated once with zod;
 * a wrong value fails at start with a message naming the variable.
 */
import path from "node:path";
import { z } from "zod";
import { parseTrustedProxies } from "@/lib/security/client-address";

const emptyAsUndefined = (value: unknown) => (value === "" ? undefined : value);
const optionalString = z.preprocess(emptyAsUndefined, z.string().optional());

const ZEnv = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  /** `file:./data/phalanx.db` (default) or `postgresql://…` */
  DATABASE_URL: optionalString,
  /** Overrides the provider detected from DATABASE_URL. */
  PHALANX_DB_PROVIDER: z.preprocess(emptyAsUndefined, z.enum(["sqlite", "postgresql"]).optional()),
  PHALANX_DATA_DIR: z.preprocess(emptyAsUndefined, z.string().default("./data")),
  /**
   * PostgreSQL: connections each instance keeps at most (its pool). Claims, saves and exports each hold one
   * for the length of a transaction; instances × this must stay below the server's max_connections.
   */
  PHALANX_DB_POOL_SIZE: z.preprocess(
    emptyAsUndefined,
    z.coerce.number().int().min(2, "must be at least 2").max(500, "must be at most 500").default(20),
  ),
  AUTH_SECRET: optionalString,
  PHALANX_ADMIN_EMAIL: z.preprocess(emptyAsUndefined, z.email().optional()),
  PHALANX_ADMIN_PASSWORD: z.preprocess(
    emptyAsUndefined,
    z.string().min(10, "must be at least 10 characters").optional(),
  ),
  PHALANX_DEMO: z.preprocess(emptyAsUndefined, z.enum(["0", "1"]).default("1")),
  PHALANX_LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).default(5),
  PHALANX_LOGIN_WINDOW_SECONDS: z.coerce
    .number()
    .int()
    .min(1)
    .default(15 * 60),
  /** Reverse proxies whose X-Forwarded-For to believe: a hop count or addresses/CIDRs (lib/security/client-address.ts). */
  PHALANX_TRUSTED_PROXIES: z
    .string()
    .optional()
    .transform((value, context) => {
      try {
        return parseTrustedProxies(value);
      } catch (error) {
        context.addIssue({ code: "custom", message: (error as Error).message });
        return z.NEVER;
      }
    }),
  /** Largest JSON request body, checked before it is read (uploads have their own limit). */
  PHALANX_MAX_JSON_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(1024 * 1024),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  /** A running export whose instance sent no heartbeat for this long is taken over by another instance. */
  PHALANX_JOB_STALE_SECONDS: z.preprocess(
    emptyAsUndefined,
    z.coerce
      .number()
      .int()
      .min(2, "must be at least 2 seconds")
      .max(3600, "must be at most 3600 seconds (an hour)")
      .default(60),
  ),
  /** Images an instance's export blurs and encodes at once (default: one per core); 1 measures one core's worth. */
  PHALANX_EXPORT_IMAGE_CONCURRENCY: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1).max(64).optional()),
  /** Image ingest limits, checked before any decoding. */
  PHALANX_MAX_UPLOAD_BYTES: z.coerce
    .number()
    .int()
    .min(1)
    .default(60 * 1024 * 1024),
  PHALANX_MAX_PIXELS: z.coerce.number().int().min(1).default(60_000_000),
  /** "local" (a folder under the data dir) or "s3" (any S3-compatible object storage). */
  PHALANX_STORAGE: z.preprocess(emptyAsUndefined, z.enum(["local", "s3"]).default("local")),
  S3_ENDPOINT: z.preprocess(emptyAsUndefined, z.url().optional()),
  S3_REGION: z.preprocess(emptyAsUndefined, z.string().default("us-east-1")),
  S3_BUCKET: optionalString,
  S3_ACCESS_KEY_ID: optionalString,
  S3_SECRET_ACCESS_KEY: optionalString,
  /** Most self-hosted S3 servers (MinIO, s3rver, Ceph) need path-style URLs. */
  S3_FORCE_PATH_STYLE: z.preprocess(emptyAsUndefined, z.enum(["0", "1"]).default("1")),
});

export type TEnv = z.infer<typeof ZEnv>;

export type TDatabaseTarget =
  { provider: "sqlite"; filename: string } | { provider: "postgresql"; url: string; poolSize?: number };

let cached: TEnv | undefined;

export function env(): TEnv {
  if (cached) return cached;
  const parsed = ZEnv.safeParse(process.env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; ");
    throw new Error(`Invalid configuration: ${problems}`);
  }
  cached = parsed.data;
  return cached;
}

export function dataDir(): string {
  return path.resolve(env().PHALANX_DATA_DIR);
}

/** Where the database lives: a postgres URL means PostgreSQL, anything else the embedded SQLite file. */
export function databaseTarget(): TDatabaseTarget {
  const { DATABASE_URL: url, PHALANX_DB_PROVIDER: forced } = env();
  const looksPostgres = !!url && /^postgres(ql)?:\/\//.test(url);
  const provider = forced ?? (looksPostgres ? "postgresql" : "sqlite");
  if (provider === "postgresql") {
    if (!looksPostgres)
      throw new Error("Invalid configuration: PHALANX_DB_PROVIDER=postgresql needs DATABASE_URL=postgresql://…");
    return { provider, url: url!, poolSize: env().PHALANX_DB_POOL_SIZE };
  }
  const filename = url?.startsWith("file:") ? url.slice("file:".length) : path.join(dataDir(), "phalanx.db");
  return { provider: "sqlite", filename: path.resolve(filename) };
}
