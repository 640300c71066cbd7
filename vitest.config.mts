import path from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    alias: {
      "@": path.resolve(import.meta.dirname),
      // `server-only` throws outside React Server Components; tests run server code directly.
      "server-only": path.resolve(import.meta.dirname, "test/server-only-stub.ts"),
    },
  },
  test: {
    include: ["lib/**/*.test.ts", "scripts/**/*.test.ts"],
    environment: "node",
    pool: "forks",
    setupFiles: ["test/db-setup.ts"],
    // next-auth imports "next/server" without an extension; inlined, Vite resolves it (route modules import it).
    server: { deps: { inline: ["next-auth"] } },
    testTimeout: 30_000,
    server: { deps: { inline: ["next-auth"] } },
    hookTimeout: 60_000,
  },
});
