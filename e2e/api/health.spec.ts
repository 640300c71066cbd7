import { expect, test } from "@playwright/test";

/** What a load balancer sees: a public health check that says whether this instance can serve, and nothing else. */
test("GET /api/health answers 200 with database and storage reachable, without signing in", async ({
  playwright,
  baseURL,
}) => {
  const anonymous = await playwright.request.newContext({ baseURL });
  const response = await anonymous.get("/api/health");
  expect(response.status()).toBe(200);
  expect(response.headers()["cache-control"]).toContain("no-store");
  expect(await response.json()).toEqual({ ok: true, database: "ok", storage: "ok" });
  await anonymous.dispose();
});
