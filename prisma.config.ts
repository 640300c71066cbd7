import path from "node:path";
import { defineConfig } from "prisma/config";

// The Prisma CLI insists on a native schema engine it would download; generate never runs it,
// so point it at a stand-in. Migrations go through scripts/db/create-migration.ts instead.
process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= path.join(__dirname, "prisma/engine-stand-in/schema-engine");

export default defineConfig({
  schema: "prisma/schema.prisma",
});
