import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors/app-error";
import { ZProjectSettings } from "@/lib/project/schema";
import { ZCreateUser } from "@/lib/users/schema";
import { db } from "@/lib/server/db";
import type { TCurrentUser } from "@/lib/server/auth/current-user";
import { createUser } from "@/lib/server/users/create-user";
import { createProject, updateProject } from "@/lib/server/projects/create-project";
import { addMemberByEmail, listMembers, setMemberRoles } from "@/lib/server/projects/members";
import { listProjectsFor } from "@/lib/server/projects/list-projects";
import { getProjectOrThrow } from "@/lib/server/projects/project-settings";

const unique = () => randomBytes(4).toString("hex");

async function newPerson(isAdmin = false): Promise<TCurrentUser> {
  const input = ZCreateUser.parse({
    email: `p-${unique()}@example.test`,
    name: "Person",
    password: "long enough pw",
    isAdmin,
  });
  const user = await createUser(input, null);
  return { id: user.id, email: user.email, name: user.name, isAdmin: user.isAdmin, mustChangePassword: false };
}

const settings = (name = `Project ${unique()}`) => ZProjectSettings.parse({ name });

async function expectAppError(promise: Promise<unknown>, code: string) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe(code);
  return error as AppError;
}

async function rolesOf(projectId: string, userId: string) {
  return (await listMembers(projectId)).find((m) => m.userId === userId)?.roles ?? [];
}

describe("createProject", () => {
  it("makes the creating admin the project's only manager and records project.created", async () => {
    const admin = await newPerson(true);
    const project = await createProject(settings("Hands 1"), admin);
    expect(project.name).toBe("Hands 1");
    expect(await listMembers(project.id)).toEqual([
      { userId: admin.id, email: admin.email, name: admin.name, roles: ["manager"], disabled: false },
    ]);
    const event = await db.auditEvent.findFirstOrThrow({ where: { action: "project.created", targetId: project.id } });
    expect(event).toMatchObject({ actorId: admin.id, projectId: project.id, details: { name: "Hands 1" } });

    const stored = await getProjectOrThrow(project.id);
    expect(stored.gestures.length).toBeGreaterThan(0);
    expect(stored).toMatchObject({ name: "Hands 1", withdrawalPolicy: "purge", annotationsPerImage: 1 });
  });

  it("forbids a plain user who manages no project, and creates nothing", async () => {
    const admin = await newPerson(true);
    const user = await newPerson();
    const project = await createProject(settings(), admin);
    await setMemberRoles(project.id, user.id, ["annotator", "reviewer"], admin.id);
    const before = await db.project.count();
    await expectAppError(createProject(settings(), user), "forbidden");
    expect(await db.project.count()).toBe(before);
  });

  it("lets a manager of some project create another one", async () => {
    const admin = await newPerson(true);
    const manager = await newPerson();
    const first = await createProject(settings(), admin);
    await setMemberRoles(first.id, manager.id, ["manager"], admin.id);
    const second = await createProject(settings(), manager);
    expect(await rolesOf(second.id, manager.id)).toEqual(["manager"]);
    expect(await rolesOf(second.id, admin.id)).toEqual([]);
  });
});

describe("updateProject", () => {
  it("changes the given settings and audits the field names", async () => {
    const admin = await newPerson(true);
    const project = await createProject(settings(), admin);
    await updateProject(project.id, { name: "Renamed", leaseMinutes: 45 }, admin.id);
    expect(await getProjectOrThrow(project.id)).toMatchObject({ name: "Renamed", leaseMinutes: 45 });
    const event = await db.auditEvent.findFirstOrThrow({ where: { action: "project.updated", projectId: project.id } });
    expect(event.details).toEqual({ fields: ["name", "leaseMinutes"] });
  });
});

describe("project membership", () => {
  it("adds and removes roles and audits what was added and removed", async () => {
    const admin = await newPerson(true);
    const user = await newPerson();
    const project = await createProject(settings(), admin);

    const seen = new Set<string>();
    /** The audit events written since the last call, as sorted added/removed lists. */
    const newEvents = async () => {
      const events = await db.auditEvent.findMany({
        where: { action: "membership.roles_changed", projectId: project.id, targetId: user.id },
      });
      const fresh = events.filter((e) => !seen.has(e.id));
      fresh.forEach((e) => seen.add(e.id));
      expect(fresh.every((e) => e.actorId === admin.id && e.targetType === "user")).toBe(true);
      return fresh
        .map((e) => e.details as { added: string[]; removed: string[] })
        .map((d) => ({ added: [...d.added].sort(), removed: [...d.removed].sort() }));
    };

    await setMemberRoles(project.id, user.id, ["reviewer", "annotator", "annotator"], admin.id);
    expect(await rolesOf(project.id, user.id)).toEqual(["annotator", "reviewer"]);
    expect(await newEvents()).toEqual([{ added: ["annotator", "reviewer"], removed: [] }]);

    await setMemberRoles(project.id, user.id, ["reviewer", "manager"], admin.id);
    expect(await rolesOf(project.id, user.id)).toEqual(["reviewer", "manager"]);
    expect(await newEvents()).toEqual([{ added: ["manager"], removed: ["annotator"] }]);

    await setMemberRoles(project.id, user.id, ["manager", "reviewer"], admin.id);
    expect(await newEvents()).toEqual([]); // no change, no event

    await setMemberRoles(project.id, user.id, [], admin.id);
    expect(await rolesOf(project.id, user.id)).toEqual([]);
    expect(await newEvents()).toEqual([{ added: [], removed: ["manager", "reviewer"] }]);
  });

  it("refuses to remove the last manager, leaving roles untouched", async () => {
    const admin = await newPerson(true);
    const project = await createProject(settings(), admin);
    await expectAppError(setMemberRoles(project.id, admin.id, ["annotator"], admin.id), "conflict");
    await expectAppError(setMemberRoles(project.id, admin.id, [], admin.id), "conflict");
    expect(await rolesOf(project.id, admin.id)).toEqual(["manager"]);
    expect(await db.auditEvent.count({ where: { action: "membership.roles_changed", projectId: project.id } })).toBe(0);
  });

  it("allows a manager to step down once another manager exists", async () => {
    const admin = await newPerson(true);
    const other = await newPerson();
    const project = await createProject(settings(), admin);
    await setMemberRoles(project.id, other.id, ["manager"], admin.id);
    await setMemberRoles(project.id, admin.id, [], admin.id);
    const members = await listMembers(project.id);
    expect(members.map((m) => [m.userId, m.roles])).toEqual([[other.id, ["manager"]]]);
  });

  it("addMemberByEmail keeps existing roles and adds the new ones", async () => {
    const admin = await newPerson(true);
    const user = await newPerson();
    const project = await createProject(settings(), admin);
    await setMemberRoles(project.id, user.id, ["annotator"], admin.id);
    const member = await addMemberByEmail(project.id, user.email, ["reviewer"], admin.id);
    expect(member).toMatchObject({
      userId: user.id,
      email: user.email,
      roles: ["annotator", "reviewer"],
      disabled: false,
    });
  });

  it("addMemberByEmail rejects an unknown email with a field error", async () => {
    const admin = await newPerson(true);
    const project = await createProject(settings(), admin);
    const error = await expectAppError(
      addMemberByEmail(project.id, "nobody@example.test", ["annotator"], admin.id),
      "invalid_input",
    );
    expect(error.fields.email).toBeTruthy();
    expect(await listMembers(project.id)).toHaveLength(1);
  });

  it("listMembers orders by email and shows disabled people", async () => {
    const admin = await newPerson(true);
    const project = await createProject(settings(), admin);
    const a = await createUser(ZCreateUser.parse({ email: `aaa-${unique()}@example.test`, name: "A" }), admin.id);
    const z = await createUser(ZCreateUser.parse({ email: `zzz-${unique()}@example.test`, name: "Z" }), admin.id);
    await setMemberRoles(project.id, z.id, ["annotator"], admin.id);
    await setMemberRoles(project.id, a.id, ["manager", "annotator"], admin.id);
    await db.user.update({ where: { id: z.id }, data: { disabledAt: new Date() } });
    const members = await listMembers(project.id);
    expect(members.map((m) => m.email)).toEqual([a.email, admin.email, z.email].sort());
    expect(members.find((m) => m.userId === a.id)?.roles).toEqual(["annotator", "manager"]);
    expect(members.find((m) => m.userId === z.id)?.disabled).toBe(true);
  });
});

describe("listProjectsFor", () => {
  it("shows members only their projects with their roles; admins see every project", async () => {
    const admin = await newPerson(true);
    const member = await newPerson();
    const outsider = await newPerson();
    const mine = await createProject(settings("Mine"), admin);
    const theirs = await createProject(settings("Theirs"), admin);
    await setMemberRoles(mine.id, member.id, ["annotator", "reviewer"], admin.id);

    const forMember = await listProjectsFor(member);
    expect(forMember).toEqual([
      { id: mine.id, name: "Mine", description: "", roles: ["annotator", "reviewer"], memberCount: 2, imageCount: 0 },
    ]);
    expect(await listProjectsFor(outsider)).toEqual([]);

    const otherAdmin = await newPerson(true);
    const forAdmin = await listProjectsFor(otherAdmin);
    const ids = forAdmin.map((p) => p.id);
    expect(ids).toEqual(expect.arrayContaining([mine.id, theirs.id]));
    expect(ids).toHaveLength(await db.project.count());
    expect(forAdmin.find((p) => p.id === theirs.id)).toMatchObject({ roles: [], memberCount: 1 });
    expect((await listProjectsFor(admin)).find((p) => p.id === mine.id)?.roles).toEqual(["manager"]);
  });
});

describe("guards under concurrency", () => {
  it("two managers stepping down at once leave exactly one manager", async () => {
    for (let round = 0; round < 5; round++) {
      const first = await newPerson(true);
      const second = await newPerson();
      const project = await createProject(settings(), first);
      await setMemberRoles(project.id, second.id, ["manager"], first.id);
      const outcomes = await Promise.allSettled([
        setMemberRoles(project.id, first.id, [], first.id),
        setMemberRoles(project.id, second.id, [], first.id),
      ]);
      expect(outcomes.filter((outcome) => outcome.status === "fulfilled")).toHaveLength(1);
      expect(await db.membership.count({ where: { projectId: project.id, role: "manager" } })).toBe(1);
    }
  });
});
