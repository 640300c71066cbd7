import { afterAll, describe, expect, it, vi } from "vitest";
import { openDatabase } from "@/lib/server/db/open";
import { checkHealth } from "@/lib/server/health/check-health";
import { route } from "./route";

// A PostgreSQL server that refuses connections, as during a restart or failover (needs no running server).
const unreachable = openDatabase({ provider: "postgresql", url: "postgresql://postgres@127.0.0.1:1/phalanx" });
afterAll(() => unreachable.$disconnect());

describe("route() while the database is unreachable", () => {
  it("answers 503 with Retry-After and a message to retry, and logs the outage once, not per request", async () => {
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      const handler = route(async () => Response.json({ users: await unreachable.user.count() }));
      const answers = [];
      for (let i = 0; i < 30; i++)
        answers.push(await handler(new Request("http://localhost/api/projects"), { params: Promise.resolve({}) }));
      for (const answer of answers) {
        expect(answer.status).toBe(503);
        expect(answer.headers.get("Retry-After")).toBe("5");
      }
      expect(await answers[0].json()).toMatchObject({
        code: "unavailable",
        error: expect.stringMatching(/database is unreachable.*try again/i),
        retryAfterSeconds: 5,
      });
      expect(errors).toHaveBeenCalledTimes(1);
    } finally {
      errors.mockRestore();
    }
  });
});

describe("checkHealth", () => {
  it("reports the test database and storage reachable", async () => {
    expect(await checkHealth()).toEqual({ ok: true, database: "ok", storage: "ok" });
  });
});
