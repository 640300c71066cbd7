import { expect, test } from "@playwright/test";
import { readFileSync } from "node:fs";
import { unzip } from "../../test/unzip";
import { PEOPLE } from "../fixtures/people";
import { apiSignIn } from "../fixtures/session";
import { subjectWithConsent } from "../fixtures/consent";
import { handJpegs } from "../fixtures/images";
import { completeHand, labelAndAccept, projectWithTeam } from "../fixtures/review";
import { validateCocoKeypoints } from "../../lib/export/coco";

async function exportFromPage(page: import("@playwright/test").Page, projectId: string, formats: string[] = []) {
  const before = (await (await page.request.get(`/api/projects/${projectId}/exports`)).json()).exports.length;
  await page.goto(`/projects/${projectId}/exports`);
  await expect(page.getByTestId("export-row")).toHaveCount(before);
  await page.getByTestId("export-purpose").selectOption("research");
  for (const format of formats) await page.getByTestId(`export-${format}`).check();
  await page.getByTestId("export-start").click();
  await expect(page.getByTestId("export-row")).toHaveCount(before + 1);
  const row = page.getByTestId("export-row").first();
  await expect(row).toHaveAttribute("data-status", "done", { timeout: 60_000 });
  const download = page.waitForEvent("download");
  await row.getByTestId("export-download").click();
  return { row, files: await unzip(readFileSync((await (await download).path())!)) };
}

test("a manager exports accepted labels for research: strict COCO, blurred fingertips; a withdrawn subject is absent next time", async ({
  page,
  playwright,
  baseURL,
}) => {
  const manager = await playwright.request.newContext({ baseURL });
  await apiSignIn(manager, PEOPLE.manager);
  const project = await projectWithTeam(manager, "Export tests");
  const subject = await subjectWithConsent(manager, project.id);
  for (const file of await handJpegs(3, `export-${project.id}`))
    await manager.post(`/api/projects/${project.id}/images`, { multipart: { subjectId: subject.id, file } });
  const annotator = await playwright.request.newContext({ baseURL });
  await apiSignIn(annotator, PEOPLE.annotator);
  const reviewer = await playwright.request.newContext({ baseURL });
  await apiSignIn(reviewer, PEOPLE.reviewer);
  const { images: listed } = await (await manager.get(`/api/projects/${project.id}/images`)).json();
  const thumbBefore = await (await manager.get(`/api/images/${listed[0].id}/thumb`)).body();
  await labelAndAccept(annotator, reviewer, project.id, [completeHand(), completeHand(), completeHand()]);
  // Once labelled, gallery thumbnails show blurred fingertips.
  expect((await (await manager.get(`/api/images/${listed[0].id}/thumb`)).body()).equals(thumbBefore)).toBe(false);

  await apiSignIn(page.request, PEOPLE.manager);
  const first = await exportFromPage(page, project.id, ["hf"]);
  await expect(first.row.getByTestId("export-contents")).toContainText("3 images · 3 hands · 1 subject");
  let images = 0;
  for (const split of ["train", "val", "test"]) {
    const coco = JSON.parse(first.files.get(`annotations/${split}.json`)!.toString());
    expect(validateCocoKeypoints(coco), split).toEqual([]);
    images += coco.images.length;
  }
  expect(images).toBe(3);
  // Asked for the Hugging Face imagefolder layout: one metadata line per exported image, none for YOLO.
  const metadataLines = ["train", "val", "test"].flatMap((split) =>
    (first.files.get(`images/${split}/metadata.jsonl`)?.toString().trim().split("\n") ?? []).map((l) => JSON.parse(l)),
  );
  expect(metadataLines).toHaveLength(3);
  expect(metadataLines.every((row) => row.hands.length === 1 && row.hands[0].keypoints.length === 21)).toBe(true);
  expect(first.files.has("data.yaml")).toBe(false);
  // Every exported image differs from its original near the fingertips (blurred), and carries no metadata.
  const full = JSON.parse(first.files.get("phalanx.json")!.toString());
  for (const item of full) {
    const original = await (await manager.get(`/api/images/${item.imageId}/original`)).body();
    expect(first.files.get(item.file_name)!.equals(original)).toBe(false);
  }
  const manifest = JSON.parse(first.files.get("manifest.json")!.toString());
  expect(manifest.consentRecords).toHaveLength(1);
  expect(manifest.unblurred).toBe(false);

  await manager.post(`/api/projects/${project.id}/subjects/${subject.id}/withdraw`, {
    data: { reason: "asked", channel: "email" },
  });
  const second = await exportFromPage(page, project.id);
  await expect(second.row.getByTestId("export-contents")).toContainText("0 images");
  const secondManifest = JSON.parse(second.files.get("manifest.json")!.toString());
  expect(secondManifest.consentRecords).toHaveLength(0);
  for (const split of ["train", "val", "test"])
    expect(JSON.parse(second.files.get(`annotations/${split}.json`)!.toString()).images).toHaveLength(0);
  await Promise.all([manager.dispose(), annotator.dispose(), reviewer.dispose()]);
});
