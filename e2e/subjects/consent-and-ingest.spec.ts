import { expect, test } from "@playwright/test";
import { PEOPLE } from "../fixtures/people";
import { apiSignIn, fixtures } from "../fixtures/session";
import { badFiles, handJpegs } from "../fixtures/images";
import { subjectWithConsent } from "../fixtures/consent";

const MARKER = "e2e-demographic-marker";

test.describe("subjects, consent and ingest", () => {
  test("a manager records a subject and consent, uploads ten images with progress, then withdraws consent", async ({
    page,
  }) => {
    const { projectA } = fixtures();
    await apiSignIn(page.request, PEOPLE.manager);

    await page.goto(`/projects/${projectA}/consent-texts`);
    await page.getByTestId("consent-text-version").fill("ui-v1");
    await page
      .getByTestId("consent-text-body")
      .fill("I agree that photos of my hands are used to build a hand-pose dataset, blurred before export.");
    await page.getByTestId("consent-text-scope-research").check();
    await page.getByTestId("consent-text-submit").click();
    await expect(page.getByTestId("consent-text-created")).toContainText("Version ui-v1 saved");

    await page.getByTestId("tab-subjects").click();
    await page.getByTestId("subject-new").click();
    await page.getByTestId("subject-ageBand").selectOption("25-34");
    await page.getByTestId("subject-sexOrGender").fill(MARKER);
    await page.getByTestId("monkSkinTone-6").check({ force: true });
    await page.getByTestId("subject-submit").click();
    await expect(page.getByTestId("subject-code")).toHaveText(/^S-\d{4}$/);
    const code = (await page.getByTestId("subject-code").textContent())!;
    await expect(page.getByTestId("consent-empty")).toBeVisible();
    await expect(page.getByTestId("purpose-annotation")).toHaveAttribute("data-allowed", "false");

    await page.getByTestId("consent-text").selectOption({ label: "ui-v1" });
    await page.getByTestId("consent-biometric").check();
    await page.getByTestId("consent-jurisdiction").fill("EU");
    // A malformed date (typed where the date picker is unavailable) is refused by the server, naming the field.
    await page.getByTestId("consent-signed-at").evaluate((input: HTMLInputElement) => {
      input.type = "text";
      input.value = "31/02/2026";
    });
    await page.getByTestId("consent-submit").click();
    await expect(page.getByTestId("consent-error")).toContainText("signedAt");
    await expect(page.getByTestId("consent-row")).toHaveCount(0);
    await page.getByTestId("consent-signed-at").evaluate((input: HTMLInputElement) => {
      input.value = new Date().toISOString().slice(0, 10);
      input.type = "date";
    });
    const signedForm = (await handJpegs(1, "signed-form"))[0];
    await page.getByTestId("consent-form-file").setInputFiles(signedForm);
    await page.getByTestId("consent-submit").click();
    await expect(page.getByTestId("consent-saved")).toBeVisible();
    await expect(page.getByTestId("consent-row")).toHaveCount(1);
    await expect(page.getByTestId("consent-state")).toContainText("in force");
    await expect(page.getByTestId("purpose-annotation")).toHaveAttribute("data-allowed", "true");
    await expect(page.getByTestId("purpose-commercial")).toHaveAttribute("data-allowed", "false");
    const subjectUrl = page.url();
    const subjectId = subjectUrl.split("/").pop()!;

    await page.goto(`/projects/${projectA}/images/upload?subject=${subjectId}`);
    await expect(page.getByTestId("upload-subject")).toHaveValue(subjectId);
    await page.getByTestId("upload-input").setInputFiles(await handJpegs(10, code));
    await expect(page.getByTestId("upload-counts")).toHaveText("10 stored · 0 duplicates · 0 refused · 10 files", {
      timeout: 30_000,
    });
    await expect(page.getByRole("progressbar", { name: "Overall progress" })).toHaveAttribute("aria-valuenow", "100");

    await page.goto(`/projects/${projectA}/images?subjectId=${subjectId}`);
    await expect(page.getByTestId("gallery-item")).toHaveCount(10);
    await expect(page.locator('[data-testid="gallery-item"][data-consent="usable"]')).toHaveCount(10);
    const thumb = page.getByTestId("gallery-item").first().locator("img");
    await expect(thumb).toHaveJSProperty("complete", true);
    expect(await thumb.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);

    // Keyset pages: Next walks 4 + 4 + 2 images without repeats, Previous comes back to the same page.
    await page.goto(`/projects/${projectA}/images?subjectId=${subjectId}&pageSize=4`);
    await expect(page.getByTestId("gallery-count")).toHaveText("10 images");
    const pageIds = async () =>
      page
        .getByTestId("gallery-item")
        .locator("a")
        .evaluateAll((links) => links.map((a) => a.getAttribute("href")));
    const first = await pageIds();
    await expect(page.getByTestId("gallery-previous")).toHaveCount(0);
    await page.getByTestId("gallery-next").click();
    await expect(page.getByTestId("gallery-previous")).toBeVisible();
    const second = await pageIds();
    await page.getByTestId("gallery-next").click();
    await expect(page.getByTestId("gallery-item")).toHaveCount(2);
    await expect(page.getByTestId("gallery-next")).toHaveCount(0);
    const third = await pageIds();
    expect(new Set([...first, ...second, ...third]).size).toBe(10);
    await page.getByTestId("gallery-previous").click();
    await expect(page.getByTestId("gallery-item")).toHaveCount(4);
    expect(await pageIds()).toEqual(second);

    await page.goto(subjectUrl);
    await page.getByTestId("withdraw-open").click();
    await page.getByTestId("withdraw-reason").fill("changed their mind");
    await page.getByTestId("withdraw-channel").selectOption("phone");
    await page.getByTestId("withdraw-confirm").click();
    await expect(page.getByTestId("withdraw-result")).toContainText("10 image(s) purged", { timeout: 20_000 });
    await expect(page.getByTestId("purpose-annotation")).toHaveAttribute("data-allowed", "false");
    await expect(page.getByTestId("consent-state")).toContainText("withdrawn");

    await page.goto(`/projects/${projectA}/images?subjectId=${subjectId}&consent=usable`);
    await expect(page.getByTestId("gallery-empty")).toBeVisible();
    await page.goto(`/projects/${projectA}/images?subjectId=${subjectId}&state=purged`);
    await expect(page.getByTestId("gallery-item")).toHaveCount(10);
    await page.getByTestId("gallery-item").first().locator("a").first().click();
    await expect(page.getByTestId("image-state")).toHaveText("purged");
    await expect(page.getByTestId("image-audit")).toContainText("image.purged");
    await expect(page.getByTestId("image-audit")).toContainText("image.uploaded");
  });

  test("annotators and reviewers never receive a subject's demographics", async ({ page, playwright, baseURL }) => {
    const { projectA } = fixtures();
    const manager = await playwright.request.newContext({ baseURL });
    await apiSignIn(manager, PEOPLE.manager);
    const subject = await subjectWithConsent(manager, projectA, {
      sexOrGender: MARKER,
      occupationGroup: "healthcare",
      monkSkinTone: 4,
    });
    const [photo] = await handJpegs(1, `demo-${subject.code}`);
    const upload = await manager.post(`/api/projects/${projectA}/images`, {
      multipart: { subjectId: subject.id, file: photo },
    });
    expect(upload.status()).toBe(201);
    const imageId = (await upload.json()).image.id;

    for (const person of [PEOPLE.annotator, PEOPLE.reviewer]) {
      await page.context().clearCookies();
      await apiSignIn(page.request, person);
      for (const path of ["/projects", `/projects/${projectA}`, `/projects/${projectA}/members`]) {
        const response = await page.goto(path);
        expect(response?.status(), path).toBe(200);
        expect(await page.content(), path).not.toContain(MARKER);
      }
      for (const path of [
        `/projects/${projectA}/subjects`,
        `/projects/${projectA}/subjects/${subject.id}`,
        `/projects/${projectA}/images`,
        `/projects/${projectA}/images/${imageId}`,
      ]) {
        expect((await page.goto(path))?.status(), path).toBe(403);
        expect(await page.content()).not.toContain(MARKER);
      }
      for (const path of [
        `/api/projects/${projectA}/subjects`,
        `/api/projects/${projectA}/subjects/${subject.id}`,
        `/api/projects/${projectA}/images`,
      ]) {
        const response = await page.request.get(path);
        expect(response.status(), path).toBe(403);
        expect(await response.text()).not.toContain(MARKER);
      }
    }
    // The reviewer may see a consented image; an annotator only once it is assigned to them.
    expect((await page.request.get(`/api/images/${imageId}/display`)).status()).toBe(200);
    await page.context().clearCookies();
    await apiSignIn(page.request, PEOPLE.annotator);
    expect((await page.request.get(`/api/images/${imageId}/display`)).status()).toBe(403);
    await page.context().clearCookies();
    await apiSignIn(page.request, PEOPLE.outsider);
    expect((await page.request.get(`/api/images/${imageId}/thumb`)).status()).toBe(404);
    await manager.dispose();
  });

  test("bad files are refused in the browser with the reason, and nothing is stored", async ({
    page,
    playwright,
    baseURL,
  }) => {
    const { projectA } = fixtures();
    const manager = await playwright.request.newContext({ baseURL });
    await apiSignIn(manager, PEOPLE.manager);
    const subject = await subjectWithConsent(manager, projectA);
    await apiSignIn(page.request, PEOPLE.manager);
    const before = (await (await manager.get(`/api/projects/${projectA}/images`)).json()).total;

    const bad = await badFiles();
    await page.goto(`/projects/${projectA}/images/upload?subject=${subject.id}`);
    await page.getByTestId("upload-input").setInputFiles(Object.values(bad));
    await expect(page.getByTestId("upload-counts")).toHaveText("0 stored · 0 duplicates · 6 refused · 6 files", {
      timeout: 60_000,
    });
    const results = page.getByTestId("upload-result");
    const reasonOf = async (name: string) =>
      (await page.getByTestId("upload-item").filter({ hasText: name }).getByTestId("upload-result").textContent()) ??
      "";
    expect(await reasonOf("notes.jpg")).toContain("not a JPEG, PNG or WebP");
    expect(await reasonOf("truncated.jpg")).toContain("truncated or corrupt");
    expect(await reasonOf("empty.jpg")).toContain("empty");
    expect(await reasonOf("drawing.svg")).toContain("not a JPEG, PNG or WebP");
    expect(await reasonOf("bomb.png")).toContain("decompression bomb");
    expect(await reasonOf("huge.jpg")).toContain("above the upload limit");
    await expect(results).toHaveCount(6);
    expect((await (await manager.get(`/api/projects/${projectA}/images`)).json()).total).toBe(before);

    // The same photo twice: the second is named a duplicate of the first.
    const [photo] = await handJpegs(1, `dup-${subject.code}`);
    await page.getByTestId("upload-input").setInputFiles([photo]);
    await expect(page.getByTestId("upload-counts")).toContainText("1 stored");
    await page.getByTestId("upload-input").setInputFiles([photo]);
    await expect(page.getByTestId("upload-counts")).toContainText("1 duplicates");
    expect(await page.getByTestId("upload-item").first().getByTestId("upload-result").textContent()).toMatch(
      /duplicate of image \w+/,
    );
    await manager.dispose();
  });

  test("the scripting API: token auth, the same refusals, and consent checks", async ({
    playwright,
    baseURL,
    request,
  }) => {
    const { projectA } = fixtures();
    await apiSignIn(request, PEOPLE.manager);
    const { token } = await (await request.post("/api/account/tokens", { data: { name: "e2e script" } })).json();
    const subject = await subjectWithConsent(request, projectA);
    const script = await playwright.request.newContext({
      baseURL,
      extraHTTPHeaders: { authorization: `Bearer ${token.token}` },
    });
    const total = async () => (await (await script.get(`/api/v1/projects/${projectA}/images`)).json()).total;
    const before = await total();

    const [photo] = await handJpegs(1, `api-${subject.code}`);
    const stored = await script.post(`/api/v1/projects/${projectA}/images`, {
      multipart: { subjectCode: subject.code, file: photo },
    });
    expect(stored.status()).toBe(201);

    const bad = await badFiles();
    const expected: Record<string, [number, string]> = {
      text: [415, "not a JPEG, PNG or WebP"],
      truncated: [400, "truncated or corrupt"],
      empty: [400, "empty"],
      svg: [415, "not a JPEG, PNG or WebP"],
      bomb: [413, "decompression bomb"],
      oversized: [413, "above the upload limit"],
    };
    for (const [name, file] of Object.entries(bad)) {
      const response = await script.post(`/api/v1/projects/${projectA}/images`, {
        multipart: { subjectCode: subject.code, file },
      });
      expect(response.status(), name).toBe(expected[name][0]);
      expect((await response.json()).error, name).toContain(expected[name][1]);
    }
    const unknown = await script.post(`/api/v1/projects/${projectA}/images`, {
      multipart: { subjectCode: "S-9999", file: photo },
    });
    expect(unknown.status()).toBe(400);
    expect((await unknown.json()).error).toContain("No subject with code S-9999");
    const badDate = await script.post(`/api/v1/projects/${projectA}/subjects/${subject.id}/consent`, {
      data: {
        consentTextId: "x",
        scopes: ["annotation"],
        biometricNoticeAcknowledged: true,
        signedAt: "31/02/2026",
        jurisdiction: "EU",
      },
    });
    expect(badDate.status()).toBe(400);
    expect((await badDate.json()).fields).toHaveProperty("signedAt");
    expect(await total()).toBe(before + 1);

    const noConsent = (await (await script.post(`/api/v1/projects/${projectA}/subjects`, { data: {} })).json()).subject;
    const refused = await script.post(`/api/v1/projects/${projectA}/images`, {
      multipart: { subjectCode: noConsent.code, file: (await handJpegs(1, "nc"))[0] },
    });
    expect(refused.status()).toBe(409);
    expect((await refused.json()).error).toContain(`${noConsent.code} has no active consent for annotation`);

    const withdrawn = await script.post(`/api/v1/projects/${projectA}/subjects/${subject.id}/withdraw`, {
      data: { reason: "asked by email", channel: "email" },
    });
    expect(withdrawn.status()).toBe(200);
    expect((await withdrawn.json()).withdrawal.images).toBe(1);

    const openapi = await (await script.get("/api/v1/openapi.json")).json();
    expect(openapi.paths).toHaveProperty(["/projects/{projectId}/images"]);

    await request.delete(`/api/account/tokens/${token.id}`);
    expect((await script.get(`/api/v1/projects/${projectA}/images`)).status()).toBe(401);
    await script.dispose();
  });
});
