import { expect, test } from "@playwright/test";
import { PEOPLE } from "../fixtures/people";
import { apiSignIn } from "../fixtures/session";
import { subjectWithConsent } from "../fixtures/consent";
import { sampleLabels, uploadPhotos } from "./photos";

test("a manager pre-annotates unlabelled images with the model; an annotator's claim starts from the proposal", async ({
  page,
  playwright,
  baseURL,
}) => {
  const sample = sampleLabels();
  test.skip("absent" in sample, "absent" in sample ? sample.absent : "");
  if ("absent" in sample) return;
  const manager = await playwright.request.newContext({ baseURL });
  await apiSignIn(manager, PEOPLE.manager);
  const { project } = await (await manager.post("/api/projects", { data: { name: "Pre-annotation" } })).json();
  await manager.post(`/api/projects/${project.id}/members`, {
    data: { email: PEOPLE.annotator.email, roles: ["annotator"] },
  });
  const subject = await subjectWithConsent(manager, project.id);
  const photos = sample.labels.filter((label) => label.file.startsWith("onehand10k")).slice(0, 2);
  await uploadPhotos(manager, project.id, subject.id, photos);

  await apiSignIn(page.request, PEOPLE.manager);
  await page.goto(`/projects/${project.id}/pre-annotate`);
  await page.getByTestId("pre-annotate-start").click();
  await expect(page.getByTestId("pre-annotate-summary")).toContainText("2 of 2 images", { timeout: 120_000 });
  await expect(page.getByTestId("pre-annotate-summary")).toContainText("done");
  await expect(page.getByTestId("pre-annotate-summary")).toContainText(/[12] with proposals/);
  const proposed = Number(/(\d) with proposals/.exec(await page.getByTestId("pre-annotate-summary").innerText())![1]);

  // A second run leaves the images that already hold proposals alone (unless "redo" is ticked).
  await page.reload();
  await page.getByTestId("pre-annotate-start").click();
  await expect(page.getByTestId("pre-annotate-summary")).toContainText(`${2 - proposed} of ${2 - proposed} images`, {
    timeout: 120_000,
  });
  await expect(page.getByTestId("pre-annotate-summary")).toContainText(`${proposed} skipped (already proposed)`);

  const annotator = await playwright.request.newContext({ baseURL });
  await apiSignIn(annotator, PEOPLE.annotator);
  // A photo where the model found no hand carries no proposal: skip it and take the next.
  let withHands: { doc: { hands: { keypoints: unknown[] }[] } } | null = null;
  for (let attempt = 0; attempt < 2 && !withHands; attempt++) {
    const { annotationId } = await (await annotator.post(`/api/projects/${project.id}/queue/claim`)).json();
    const editor = await (await annotator.get(`/api/annotations/${annotationId}`)).json();
    if (editor.doc.hands.length > 0) withHands = editor;
    else await annotator.post(`/api/annotations/${annotationId}/skip`, { data: { reason: "no proposal" } });
  }
  if (!withHands) throw new Error("no claimed image carried the model's proposal");
  expect(withHands.doc.hands.length).toBeGreaterThan(0);
  expect(withHands.doc.hands[0].keypoints).toHaveLength(21);
  await Promise.all([manager.dispose(), annotator.dispose()]);
});
