import { request as httpRequest } from "node:http";
import { expect, test } from "@playwright/test";
import { PEOPLE } from "../fixtures/people";
import { apiSignIn, fixtures } from "../fixtures/session";
import { subjectWithConsent } from "../fixtures/consent";
import { handJpegs } from "../fixtures/images";

const MiB = 1024 * 1024;

/**
 * Streams up to `total` bytes of JSON-ish padding to `path` until the server answers; returns the status and
 * how much was sent by then. `declare` sends Content-Length, else the body is chunked.
 */
function postHuge(
  baseURL: string,
  path: string,
  total: number,
  declare: boolean,
): Promise<{ status: number; sent: number }> {
  return new Promise((resolve, reject) => {
    const url = new URL(path, baseURL);
    let sent = 0;
    let answered = false;
    const req = httpRequest(
      url,
      {
        method: "POST",
        headers: { "content-type": "application/json", ...(declare ? { "content-length": String(total) } : {}) },
      },
      (response) => {
        answered = true;
        response.resume();
        resolve({ status: response.statusCode ?? 0, sent });
        req.destroy();
      },
    );
    req.on("error", (error) => (answered ? undefined : reject(error)));
    const chunk = Buffer.alloc(MiB, 0x20);
    const pump = () => {
      while (!answered && sent < total) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once("drain", pump);
      }
      if (!answered) req.end();
    };
    req.write('{"email":"');
    pump();
  });
}

test.describe("body limits", () => {
  for (const declare of [true, false]) {
    test(`an anonymous 100 MB JSON body to /api/session is refused with 413 before it is read (${declare ? "Content-Length" : "chunked"})`, async ({
      baseURL,
    }) => {
      const { status, sent } = await postHuge(baseURL!, "/api/session", 100 * MiB, declare);
      expect(status).toBe(413);
      expect(sent).toBeLessThan(60 * MiB);
    });
  }

  test("a JSON body just over 1 MiB to an authenticated endpoint is 413 and creates nothing", async ({ request }) => {
    await apiSignIn(request, PEOPLE.manager);
    const { projectA } = fixtures();
    const before = (await (await request.get(`/api/projects/${projectA}/subjects`)).json()).subjects.length;
    const response = await request.post(`/api/projects/${projectA}/subjects`, { data: { notes: "x".repeat(MiB) } });
    expect(response.status()).toBe(413);
    expect((await response.json()).error).toMatch(/larger than the limit/);
    expect((await (await request.get(`/api/projects/${projectA}/subjects`)).json()).subjects.length).toBe(before);
  });
});

test.describe("headers", () => {
  test("pages carry a nonce CSP without 'unsafe-inline' scripts, and Next's scripts carry the nonce", async ({
    request,
  }) => {
    const response = await request.get("/login");
    const policy = response.headers()["content-security-policy"];
    const scriptSrc = policy
      .split(";")
      .map((d) => d.trim())
      .find((d) => d.startsWith("script-src"))!;
    const nonce = scriptSrc.match(/'nonce-([^']+)'/)?.[1];
    expect(nonce).toBeTruthy();
    expect(scriptSrc).not.toContain("'unsafe-inline'");
    expect(scriptSrc).not.toContain("'unsafe-eval'");
    const html = await response.text();
    const scripts = html.match(/<script\b[^>]*>/g) ?? [];
    expect(scripts.length).toBeGreaterThan(0);
    for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
    // A fresh nonce per response.
    const again = (await request.get("/login")).headers()["content-security-policy"];
    expect(again).not.toContain(nonce!);
  });

  test("injected markup with an inline handler does not run under the policy", async ({ page }) => {
    await page.goto("/login");
    const fired = await page.evaluate(
      () =>
        new Promise<string>((resolve) => {
          document.body.insertAdjacentHTML(
            "beforeend",
            '<img id="probe" src="/no-such-image.png" onerror="window.__injected = true">',
          );
          const probe = document.getElementById("probe")!;
          // Listeners added by the test itself are not inline: they run and tell when the error has happened.
          probe.addEventListener("error", () => setTimeout(() => resolve("error"), 50));
        }),
    );
    expect(fired).toBe("error");
    expect(await page.evaluate(() => (window as unknown as { __injected?: boolean }).__injected)).toBeUndefined();
  });

  test("no HSTS over plain http, even when a client claims X-Forwarded-Proto: https without a trusted proxy", async ({
    request,
  }) => {
    const response = await request.get("/login", { headers: { "x-forwarded-proto": "https" } });
    expect(response.headers()["strict-transport-security"]).toBeUndefined();
  });

  test("another project's image answers exactly like a missing one", async ({ playwright, baseURL }) => {
    const { projectA } = fixtures();
    const manager = await playwright.request.newContext({ baseURL });
    await apiSignIn(manager, PEOPLE.manager);
    const subject = await subjectWithConsent(manager, projectA);
    const [photo] = await handJpegs(1, `uniform-404-${subject.code}`);
    const imageId = (
      await (
        await manager.post(`/api/projects/${projectA}/images`, { multipart: { subjectId: subject.id, file: photo } })
      ).json()
    ).image.id;
    const outsider = await playwright.request.newContext({ baseURL });
    await apiSignIn(outsider, PEOPLE.outsider);
    for (const variant of ["original", "display", "thumb"]) {
      const theirs = await outsider.get(`/api/images/${imageId}/${variant}`);
      const missing = await outsider.get(`/api/images/no-such-image-id/${variant}`);
      expect(theirs.status()).toBe(404);
      expect([theirs.status(), await theirs.text()]).toEqual([missing.status(), await missing.text()]);
    }
    await Promise.all([manager.dispose(), outsider.dispose()]);
  });
});
