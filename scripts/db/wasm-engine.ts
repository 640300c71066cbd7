/**
 * Prisma's schema engine compiled to WebAssembly (@prisma/schema-engine-wasm), driven offline.
 *
 * The native schema engine cannot be downloaded here, so `prisma migrate diff` is unavailable. The wasm engine's
 * `SchemaEngine.diff` computes the same SQL between two Prisma schema files without a database, as long as the
 * driver adapter it is given answers the one query the PostgreSQL connector sends on connect:
 *
 *   SELECT EXISTS(SELECT 1 FROM pg_namespace WHERE nspname = $1), version(),
 *          current_setting('server_version_num')::integer as numeric_version;
 *
 * The SQLite connector sends nothing. Every other call on the stand-in adapter throws, so the engine can never
 * silently act on (or depend on) a real database.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";
import type {
  SqlDriverAdapter,
  SqlMigrationAwareDriverAdapterFactory,
  SqlQuery,
  SqlResultSet,
} from "@prisma/driver-adapter-utils";
import type { DiffTarget, SchemaEngine } from "@prisma/schema-engine-wasm";

export type MigrationProvider = "sqlite" | "postgresql";

/**
 * The PostgreSQL version the generated SQL targets. The engine adapts a few statements to the server version;
 * pin it so the output is deterministic. 15 is the oldest version Phalanx supports.
 */
const POSTGRES_VERSION = { text: "PostgreSQL 15.0", num: 150000 };

// ColumnTypeEnum values from @prisma/driver-adapter-utils (Int32 = 0, Boolean = 5, Text = 7).
const COLUMN_INT32 = 0;
const COLUMN_BOOLEAN = 5;
const COLUMN_TEXT = 7;

type WasmModule = typeof import("@prisma/schema-engine-wasm");

let wasmModule: Promise<WasmModule> | undefined;

/**
 * The package's entry (schema_engine.js) does `import * as wasm from "./schema_engine_bg.wasm"`, which Node cannot
 * load without --experimental-wasm-modules. Do by hand what that entry does: instantiate the .wasm with the JS glue
 * (schema_engine_bg.js) as its import object, hand the instance back to the glue, and start it.
 */
function loadWasm(): Promise<WasmModule> {
  wasmModule ??= (async () => {
    const require = createRequire(path.join(process.cwd(), "package.json"));
    const gluePath = require.resolve("@prisma/schema-engine-wasm/schema_engine_bg");
    const glue = (await import(gluePath)) as WasmModule & { __wbg_set_wasm(exports: unknown): void };
    const bytes = readFileSync(path.join(path.dirname(gluePath), "schema_engine_bg.wasm"));
    const { instance } = await WebAssembly.instantiate(bytes, { "./schema_engine_bg.js": glue as never });
    glue.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
    return glue;
  })();
  return wasmModule;
}

function offlineAdapter(provider: "sqlite" | "postgres"): SqlDriverAdapter {
  const refuse = (what: string) => {
    throw new Error(`offline schema engine adapter: unexpected ${what} (the diff must not need a database)`);
  };
  return {
    provider,
    adapterName: "phalanx-offline-diff",
    async queryRaw(query: SqlQuery): Promise<SqlResultSet> {
      if (provider === "postgres" && query.sql.includes("server_version_num")) {
        // Answers: does the schema ($1, "public") exist; version(); numeric server version.
        return {
          columnNames: ["exists", "version", "numeric_version"],
          columnTypes: [COLUMN_BOOLEAN, COLUMN_TEXT, COLUMN_INT32],
          rows: [[true, POSTGRES_VERSION.text, POSTGRES_VERSION.num]],
        };
      }
      return refuse(`query ${JSON.stringify(query.sql)}`);
    },
    async executeRaw(query: SqlQuery): Promise<number> {
      return refuse(`statement ${JSON.stringify(query.sql)}`);
    },
    async executeScript(): Promise<void> {
      return refuse("script");
    },
    async startTransaction() {
      return refuse("transaction");
    },
    async dispose() {},
  };
}

function offlineFactory(provider: MigrationProvider): SqlMigrationAwareDriverAdapterFactory {
  const adapterProvider = provider === "postgresql" ? "postgres" : "sqlite";
  return {
    provider: adapterProvider,
    adapterName: "phalanx-offline-diff",
    async connect() {
      return offlineAdapter(adapterProvider);
    },
    async connectToShadowDb() {
      return offlineAdapter(adapterProvider);
    },
  };
}

async function withEngine<T>(provider: MigrationProvider, run: (engine: SchemaEngine) => Promise<T>): Promise<T> {
  const wasm = await loadWasm();
  const log = (line: string) => {
    if (process.env.SCHEMA_ENGINE_DEBUG) console.error(`[schema-engine] ${line}`);
  };
  const engine = await wasm.SchemaEngine.new(
    { datamodels: undefined },
    log,
    bindMigrationAwareSqlAdapterFactory(offlineFactory(provider)),
  );
  try {
    return await run(engine);
  } finally {
    engine.free();
  }
}

/**
 * The SQL that migrates a database from `fromSchema` (null = empty database) to `toSchema`, both full Prisma
 * schema files for `provider`. Returns "" when there is nothing to do.
 */
export async function diffSchemas(
  provider: MigrationProvider,
  fromSchema: string | null,
  toSchema: string,
): Promise<string> {
  const target = (content: string): DiffTarget => ({
    tag: "schemaDatamodel",
    files: [{ path: "schema.prisma", content }],
  });
  const result = await withEngine(provider, (engine) =>
    engine.diff({
      from: fromSchema === null ? { tag: "empty" } : target(fromSchema),
      to: target(toSchema),
      script: true,
      // exitCode 2 ⇔ the diff is not empty.
      exitCode: true,
      filters: { externalTables: [], externalEnums: [] },
    }),
  );
  if (result.exitCode === 0) return "";
  if (result.exitCode !== 2)
    throw new Error(`schema engine diff failed for ${provider} (exit code ${result.exitCode})`);
  return result.stdout ?? "";
}
