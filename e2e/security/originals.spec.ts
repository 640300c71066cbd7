import { expect, test } from "@playwright/test";
import { PEOPLE } from "../fixtures/people";
import { apiSignIn } from "../fixtures/session";
import { subjectWithConsent } from "../fixtures/consent";
import { handJpegs } from "../fixtures/images";
import { adminApi, newPerson, signedIn } from "./support";

/** Harvesting originals by claim-and-skip (issue 11, probe 3), over HTTP as the attacker would. */
test("a new annotator who claims and skips 15 times can read no original afterwards", async ({
  baseURL,
  playwright,
}) => {
  test.setTimeout(180_000);
  const admin = await adminApi(baseURL!);
  const mallory = await newPerson(admin, "harvester");
  const manager = await playwright.request.newContext({ baseURL });
  await apiSignIn(manager, PEOPLE.manager);
  const { project } = await (
    await manager.post("/api/projects", { data: { name: "Harvest probe", leaseMinutes: 60 } })
  ).json();
  expect(
    (
      await manager.post(`/api/projects/${project.id}/members`, {
        data: { email: mallory.email, roles: ["annotator"] },
      })
    ).status(),
  ).toBe(201);
  const subject = await subjectWithConsent(manager, project.id);
  const imageIds: string[] = [];
  for (const file of await handJpegs(20, `harvest-${project.id}`)) {
    const upload = await manager.post(`/api/projects/${project.id}/images`, {
      multipart: { subjectId: subject.id, file },
    });
    expect(upload.status()).toBe(201);
    imageIds.push((await upload.json()).image.id);
  }

  const api = await signedIn(baseURL!, mallory);
  const readable = async () => {
    let count = 0;
    for (const id of imageIds) if ((await api.get(`/api/images/${id}/original`)).status() === 200) count++;
    return count;
  };
  expect(await readable()).toBe(0);
  for (let i = 0; i < 15; i++) {
    const claim = await (await api.post(`/api/projects/${project.id}/queue/claim`)).json();
    expect(claim.annotationId, "a claim").toBeTruthy();
    // The live claim may read its original: the work needs it.
    expect((await api.get(`/api/images/${claim.imageId}/original`)).status()).toBe(200);
    expect(
      (await api.post(`/api/annotations/${claim.annotationId}/skip`, { data: { reason: "probe" } })).status(),
    ).toBe(200);
  }
  expect(await readable()).toBe(0);
  await Promise.all([api.dispose(), manager.dispose(), admin.dispose()]);
});
