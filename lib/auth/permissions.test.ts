import { describe, expect, it } from "vitest";
import { decideProjectPermission, mayCreateProjects, permissionsOf, PROJECT_PERMISSIONS } from "./permissions";

const user = { id: "u1", isAdmin: false };
const admin = { id: "a1", isAdmin: true };

describe("decideProjectPermission", () => {
  it.each([
    [user, [], "project.view", "not_found"],
    [user, [], "members.manage", "not_found"],
    [user, ["annotator"], "project.view", "allow"],
    [user, ["annotator"], "annotations.write", "allow"],
    [user, ["annotator"], "qc.review", "forbidden"],
    [user, ["annotator"], "subjects.view", "forbidden"],
    [user, ["reviewer"], "annotations.write", "forbidden"],
    [user, ["reviewer"], "qc.review", "allow"],
    [user, ["annotator", "reviewer"], "qc.review", "allow"],
    [user, ["manager"], "members.manage", "allow"],
    [user, ["manager"], "consent.manage", "allow"],
    [user, ["manager"], "annotations.write", "forbidden"],
    [admin, [], "project.view", "allow"],
    [admin, [], "members.manage", "allow"],
    [admin, [], "subjects.view", "forbidden"],
    [admin, [], "annotations.write", "forbidden"],
  ] as const)("%o with %o asking %s → %s", (actor, roles, permission, expected) => {
    expect(decideProjectPermission(actor, roles, permission)).toBe(expected);
  });

  it("keeps special-category data (subjects) away from annotators and reviewers", () => {
    expect(PROJECT_PERMISSIONS["subjects.view"].roles).toEqual(["manager"]);
    expect(permissionsOf(user, ["annotator", "reviewer"])).not.toContain("subjects.view");
  });
});

describe("mayCreateProjects", () => {
  it("lets admins and existing managers start projects, nobody else", () => {
    expect(mayCreateProjects(admin, false)).toBe(true);
    expect(mayCreateProjects(user, true)).toBe(true);
    expect(mayCreateProjects(user, false)).toBe(false);
  });
});
