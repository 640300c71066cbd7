import { request, type FullConfig } from "@playwright/test";
import { writeFileSync } from "node:fs";
import { FIXTURES_FILE, PEOPLE, type TFixtures } from "./fixtures/people";

/** Creates the e2e people and two projects through the public API, as an administrator would. */
export default async function globalSetup(config: FullConfig) {
  const baseURL = config.projects[0].use.baseURL!;
  const api = await request.newContext({ baseURL });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON answers of our own API
  const ok = async (response: Awaited<ReturnType<typeof api.post>>): Promise<any> => {
    if (!response.ok()) throw new Error(`${response.url()} answered ${response.status()}: ${await response.text()}`);
    return response.json();
  };
  await ok(await api.post("/api/session", { data: { email: PEOPLE.admin.email, password: PEOPLE.admin.password } }));
  const userIds = {} as TFixtures["userIds"];
  for (const [key, person] of Object.entries(PEOPLE)) {
    if (key === "admin") continue;
    const { user } = await ok(
      await api.post("/api/users", { data: { email: person.email, name: person.name, password: person.password } }),
    );
    userIds[key as keyof typeof PEOPLE] = user.id;
  }
  const projectA = (
    await ok(await api.post("/api/projects", { data: { name: "E2E Project A", description: "Hands for tests" } }))
  ).project.id;
  const projectB = (await ok(await api.post("/api/projects", { data: { name: "E2E Project B" } }))).project.id;
  const add = (projectId: string, email: string, roles: string[]) =>
    api.post(`/api/projects/${projectId}/members`, { data: { email, roles } }).then(ok);
  await add(projectA, PEOPLE.manager.email, ["manager"]);
  await add(projectA, PEOPLE.reviewer.email, ["reviewer"]);
  await add(projectA, PEOPLE.annotator.email, ["annotator"]);
  await add(projectB, PEOPLE.outsider.email, ["annotator"]);
  const fixtures: TFixtures = { projectA, projectB, userIds };
  writeFileSync(FIXTURES_FILE, JSON.stringify(fixtures, null, 2));
  await api.dispose();
}
