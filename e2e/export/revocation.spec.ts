import { expect, test, type Page } from "@playwright/test";
import { readFileSync } from "node:fs";
import { unzip } from "../../test/unzip";
import { PEOPLE } from "../fixtures/people";
import { apiSignIn } from "../fixtures/session";
import { subjectWithConsent } from "../fixtures/consent";
import { handJpegs } from "../fixtures/images";
import { completeHand, labelAndAccept, projectWithTeam } from "../fixtures/review";

async function downloadRow(page: Page, row: import("@playwright/test").Locator) {
  const download = page.waitForEvent("download");
  await row.getByTestId("export-download").click();
  return unzip(readFileSync((await (await download).path())!));
}

test("withdrawal revokes earlier exports on both paths, lists who downloaded them, and a rebuild supersedes them without the subject", async ({
  page,
  playwright,
  baseURL,
}) => {
  const manager = await playwright.request.newContext({ baseURL });
  await apiSignIn(manager, PEOPLE.manager);
  const project = await projectWithTeam(manager, "Revocation");
  const leaving = await subjectWithConsent(manager, project.id);
  const staying = await subjectWithConsent(manager, project.id);
  const files = await handJpegs(3, `revoke-${project.id}`);
  for (const [i, file] of files.entries())
    await manager.post(`/api/projects/${project.id}/images`, {
      multipart: { subjectId: i < 2 ? leaving.id : staying.id, file },
    });
  const annotator = await playwright.request.newContext({ baseURL });
  await apiSignIn(annotator, PEOPLE.annotator);
  const reviewer = await playwright.request.newContext({ baseURL });
  await apiSignIn(reviewer, PEOPLE.reviewer);
  await labelAndAccept(annotator, reviewer, project.id, [completeHand(), completeHand(), completeHand()]);
  // Consent-bound renditions and API JSON are never cached, so a withdrawal reaches every copy.
  const { images: listed } = await (await manager.get(`/api/projects/${project.id}/images`)).json();
  for (const variant of ["thumb", "display"])
    expect((await manager.get(`/api/images/${listed[0].id}/${variant}`)).headers()["cache-control"]).toBe(
      "private, no-store",
    );
  expect((await manager.get(`/api/projects/${project.id}/subjects/${leaving.id}`)).headers()["cache-control"]).toBe(
    "private, no-store",
  );
  const { token } = await (await manager.post("/api/account/tokens", { data: { name: "revocation e2e" } })).json();
  const script = await playwright.request.newContext({
    baseURL,
    extraHTTPHeaders: { authorization: `Bearer ${token.token}` },
  });

  // Export from the page and download it there (audit-logged).
  await apiSignIn(page.request, PEOPLE.manager);
  await page.goto(`/projects/${project.id}/exports`);
  await page.getByTestId("export-start").click();
  const row = page.getByTestId("export-row").first();
  await expect(row).toHaveAttribute("data-status", "done", { timeout: 60_000 });
  const oldId = (await row.getAttribute("data-export-id"))!;
  const oldFiles = await downloadRow(page, row);
  expect(JSON.parse(oldFiles.get("manifest.json")!.toString()).counts.images).toBe(3);
  expect((await script.get(`/api/v1/projects/${project.id}/exports/${oldId}/download`)).status()).toBe(200);

  // Withdraw on the subject page: the outcome lists the revoked export and who downloaded it.
  await page.goto(`/projects/${project.id}/subjects/${leaving.id}`);
  await page.getByTestId("withdraw-open").click();
  await page.getByTestId("withdraw-reason").fill("asked by email");
  await page.getByTestId("withdraw-confirm").click();
  const outcome = page.getByTestId("withdraw-affected-export");
  await expect(outcome).toHaveCount(1);
  await expect(outcome).toContainText(oldId);
  await expect(outcome).toContainText(`${PEOPLE.manager.name} <${PEOPLE.manager.email}>`);
  await expect(page.getByTestId("subject-export-recipients")).toContainText(PEOPLE.manager.email);
  await expect(page.getByTestId("subject-export")).toContainText("revoked");

  // The old export answers 410 with the reason and date on both paths.
  const today = new Date().toISOString().slice(0, 10);
  for (const response of [
    await manager.get(`/api/projects/${project.id}/exports/${oldId}/download`),
    await script.get(`/api/v1/projects/${project.id}/exports/${oldId}/download`),
  ]) {
    expect(response.status()).toBe(410);
    const body = await response.json();
    expect(body.code).toBe("gone");
    expect(body.error).toContain(`revoked on ${today}`);
    expect(body.error).toContain(`consent of ${leaving.code} withdrawn`);
  }

  // The Exports page marks it revoked, with no download; one click rebuilds it.
  await page.goto(`/projects/${project.id}/exports`);
  const oldRow = page.locator(`[data-export-id="${oldId}"]`);
  await expect(oldRow).toHaveAttribute("data-revoked", "true");
  await expect(oldRow.getByTestId("export-revoked")).toContainText(`consent of ${leaving.code} withdrawn`);
  await expect(oldRow.getByTestId("export-download")).toHaveCount(0);
  await oldRow.getByTestId("export-rebuild").click();
  const rebuilt = page.getByTestId("export-row").first();
  await expect(rebuilt.getByTestId("export-supersedes")).toContainText(oldId);
  await expect(rebuilt).toHaveAttribute("data-status", "done", { timeout: 60_000 });
  await expect(oldRow.getByTestId("export-rebuild")).toHaveCount(0);
  const newFiles = await downloadRow(page, rebuilt);
  const manifest = JSON.parse(newFiles.get("manifest.json")!.toString());
  expect(manifest.counts.images).toBe(1);
  expect(manifest.supersedes).toMatchObject({ exportId: oldId, removedSubjects: [leaving.code] });
  expect(manifest.supersedes.removedImages).toHaveLength(2);
  expect(manifest.consentRecords.map((r: { subjectCode: string }) => r.subjectCode)).toEqual([staying.code]);
  for (const id of manifest.supersedes.removedImages)
    expect([...newFiles.keys()].some((name) => name.includes(id))).toBe(false);
  await Promise.all([manager.dispose(), annotator.dispose(), reviewer.dispose(), script.dispose()]);
});
