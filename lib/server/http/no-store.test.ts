import { NextResponse } from "next/server";
import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors/app-error";
import { route } from "./route";

const context = { params: Promise.resolve({}) };
const request = new Request("http://localhost/api/x");

describe("API answers are never cached (consent-bound data)", () => {
  it("sets no-store on JSON answers and on errors", async () => {
    const ok = await route(async () => NextResponse.json({ subject: { monkSkinTone: 5 } }))(request, context);
    expect(ok.headers.get("cache-control")).toBe("private, no-store");
    const refused = await route(async () => {
      throw new AppError("gone", "withdrawn");
    })(request, context);
    expect(refused.status).toBe(410);
    expect(refused.headers.get("cache-control")).toBe("private, no-store");
  });

  it("keeps a policy the handler set itself", async () => {
    const own = await route(async () => new Response("x", { headers: { "cache-control": "public, max-age=60" } }))(
      request,
      context,
    );
    expect(own.headers.get("cache-control")).toBe("public, max-age=60");
  });
});
