import { expect, test } from "@playwright/test";
import { readFileSync } from "node:fs";
import { unzip } from "../../test/unzip";
import { PEOPLE } from "../fixtures/people";
import { apiSignIn } from "../fixtures/session";
import { subjectWithConsent } from "../fixtures/consent";
import { handJpegs } from "../fixtures/images";
import { completeHand, labelAndAccept, projectWithTeam } from "../fixtures/review";

test("a manager sets two coverage targets, reads the gaps, downloads the shot list and exports a balanced dataset", async ({
  page,
  playwright,
  baseURL,
}) => {
  const manager = await playwright.request.newContext({ baseURL });
  await apiSignIn(manager, PEOPLE.manager);
  const project = await projectWithTeam(manager, "Coverage tests");
  const light = await subjectWithConsent(manager, project.id, { monkSkinTone: 2 });
  for (const file of await handJpegs(3, `coverage-light-${project.id}`))
    await manager.post(`/api/projects/${project.id}/images`, { multipart: { subjectId: light.id, file } });
  const dark = await subjectWithConsent(manager, project.id, { monkSkinTone: 9 });
  for (const file of await handJpegs(1, `coverage-dark-${project.id}`))
    await manager.post(`/api/projects/${project.id}/images`, { multipart: { subjectId: dark.id, file } });
  const annotator = await playwright.request.newContext({ baseURL });
  await apiSignIn(annotator, PEOPLE.annotator);
  const reviewer = await playwright.request.newContext({ baseURL });
  await apiSignIn(reviewer, PEOPLE.reviewer);
  await labelAndAccept(
    annotator,
    reviewer,
    project.id,
    [2, 3, 2, 9].map((skinTone) => ({ ...completeHand(), skinTone })),
  );

  await apiSignIn(page.request, PEOPLE.manager);
  await page.goto(`/projects/${project.id}`);
  await page.getByTestId("tab-coverage").click();
  await expect(page).toHaveURL(new RegExp(`/projects/${project.id}/coverage$`));
  // The first render of the page on a cold server can take a while on a loaded machine.
  await expect(page.getByTestId("coverage-total")).toContainText("4 hands counted", { timeout: 20_000 });
  await expect(page.getByTestId("targets-empty")).toBeVisible();

  // Target 1: at least 5 hands with Monk 8–10.
  await page.getByTestId("target-name").fill("Dark skin tones");
  await page.getByTestId("target-kind").selectOption("min_count");
  await page.getByTestId("target-value").fill("5");
  await page.getByTestId("condition-dimension-0").selectOption("skinToneBand");
  await page.getByTestId("condition-0-value-8-10").check();
  await page.getByTestId("target-save").click();
  await expect(page.getByTestId("gap-row")).toHaveCount(1);

  // Target 2: at most 50% of hands seen from the palm.
  await page.getByTestId("target-name").fill("Not too many palms");
  await page.getByTestId("target-kind").selectOption("max_share");
  await page.getByTestId("target-value").fill("50");
  await page.getByTestId("condition-dimension-0").selectOption("view");
  await page.getByTestId("condition-0-value-palm").check();
  await page.getByTestId("target-save").click();
  await expect(page.getByTestId("gap-row")).toHaveCount(2);

  // Largest gap first: 4 dark-skinned hands short, then 2 palm-view hands over the limit.
  await expect(page.getByTestId("gap-row").nth(0)).toContainText("Dark skin tones");
  await expect(page.getByTestId("gap-row").nth(0).getByTestId("gap-value")).toHaveText("4");
  await expect(page.getByTestId("gap-row").nth(0).getByRole("progressbar")).toHaveAttribute("aria-valuenow", "20");
  await expect(page.getByTestId("gap-row").nth(1)).toContainText("Not too many palms");
  await expect(page.getByTestId("gap-row").nth(1).getByTestId("gap-value")).toHaveText("2 over");
  await expect(page.getByTestId("shot-list")).toContainText("Monk 8–10");

  // The heatmap and the bars count the same hands.
  await expect(page.getByTestId("heat-palm-1-3")).toHaveText("3");
  await expect(page.getByTestId("heat-palm-8-10")).toHaveText("1");

  const download = page.waitForEvent("download");
  await page.getByTestId("shot-list-download").click();
  const csv = readFileSync((await (await download).path())!, "utf8");
  expect(csv.split("\r\n")[0]).toBe('"priority","target","photograph","hands_needed","hands_now"');
  expect(csv).toContain('"1","Dark skin tones","Perceived skin tone band: Monk 8–10","4","1"');
  expect(csv).not.toContain("Not too many palms");

  // The same figures through the scripting API; bad input is refused naming the field; annotators may not look.
  const viaApi = await (
    await manager.get(`/api/v1/projects/${project.id}/coverage?scope=accepted&x=skinToneBand&y=view`)
  ).json();
  expect(viaApi.targets.map((t: { targetName: string; gap: number }) => [t.targetName, t.gap])).toEqual([
    ["Dark skin tones", 4],
    ["Not too many palms", 2],
  ]);
  const badQuery = await manager.get(`/api/v1/projects/${project.id}/coverage?x=colour`);
  expect(badQuery.status()).toBe(400);
  expect((await badQuery.json()).fields).toHaveProperty("x");
  const badTarget = await manager.post(`/api/v1/projects/${project.id}/targets`, {
    data: { name: "Too many", kind: "max_share", value: 20, cell: { view: ["palm"] } },
  });
  expect(badTarget.status()).toBe(400);
  expect((await badTarget.json()).fields).toHaveProperty("value");
  expect((await (await manager.get(`/api/v1/projects/${project.id}/targets`)).json()).targets).toHaveLength(2);
  expect((await annotator.get(`/api/projects/${project.id}/coverage`)).status()).toBe(403);
  expect((await annotator.get(`/api/projects/${project.id}/coverage/shot-list`)).status()).toBe(403);

  // A balanced export: at most 2 images per perceived skin-tone band.
  await page.goto(`/projects/${project.id}/exports`);
  await page.getByTestId("export-purpose").selectOption("research");
  await page.getByTestId("export-balance-mode").selectOption("cap");
  await page.getByTestId("export-balance-dimension").selectOption("skinToneBand");
  await page.getByTestId("export-balance-cap").fill("2");
  await page.getByTestId("export-start").click();
  const row = page.getByTestId("export-row").first();
  await expect(row).toHaveAttribute("data-status", "done", { timeout: 60_000 });
  await expect(row.getByTestId("export-contents")).toContainText("3 images");
  const zip = page.waitForEvent("download");
  await row.getByTestId("export-download").click();
  const files = await unzip(readFileSync((await (await zip).path())!));
  const datasheet = files.get("DATASHEET.md")!.toString("utf8");
  expect(datasheet).toContain("## Coverage against the project's targets");
  expect(datasheet).toMatch(/\| Dark skin tones \| Perceived skin tone band: Monk 8–10 \| 1 \| ≥ 5 \| no: 4 short \|/);
  expect(datasheet).toMatch(/\| Not too many palms \| View: palm \| 3 \(100\.0%\) \| ≤ 50\.0% \| no: 2 over \|/);
  expect(datasheet).toContain("4 eligible images, 3 kept, 1 dropped.");
  const manifest = JSON.parse(files.get("manifest.json")!.toString());
  expect(manifest.leftOut).toContainEqual({
    reason: "Balancing by perceived skin tone band: Monk 1–3 over the cap of 2 images",
    count: 1,
  });
});
