import { describe, expect, it } from "vitest";
import { expectedOutcome, outcomeOfStatus } from "./route-expectation";

const anonymous = { signedIn: false } as const;
const person = { signedIn: true, isAdmin: false } as const;
const admin = { signedIn: true, isAdmin: true } as const;
const outside = { roles: [], ownsResource: false };
const as = (...roles: ("annotator" | "reviewer" | "manager")[]) => ({ roles, ownsResource: false });

describe("expectedOutcome", () => {
  it("public routes are allowed to everybody; everything else needs a sign-in", () => {
    expect(expectedOutcome({ kind: "public" }, anonymous, outside)).toBe("allowed");
    for (const access of [
      { kind: "user" },
      { kind: "admin" },
      { kind: "project", permission: "project.view" },
    ] as const)
      expect(expectedOutcome(access, anonymous, as("manager"))).toBe(401);
  });

  it("admin routes: administrators only (403 for others)", () => {
    expect(expectedOutcome({ kind: "admin" }, person, as("manager"))).toBe(403);
    expect(expectedOutcome({ kind: "admin" }, admin, outside)).toBe("allowed");
  });

  it("project routes follow the permission table: outsiders 404, a lacking role 403", () => {
    const subjects = { kind: "project", permission: "subjects.view" } as const;
    expect(expectedOutcome(subjects, person, outside)).toBe(404);
    expect(expectedOutcome(subjects, person, as("annotator"))).toBe(403);
    expect(expectedOutcome(subjects, person, as("annotator", "manager"))).toBe("allowed");
    expect(expectedOutcome(subjects, admin, outside)).toBe(403);
    expect(expectedOutcome({ kind: "project", permission: "members.manage" }, admin, outside)).toBe("allowed");
  });

  it("own-resource guards answer 404 for somebody else's resource, whatever the role", () => {
    const annotation = { kind: "resource", guard: "own-annotation" } as const;
    expect(expectedOutcome(annotation, person, as("annotator"))).toBe(404);
    expect(expectedOutcome(annotation, person, { roles: ["annotator"], ownsResource: true })).toBe("allowed");
    expect(expectedOutcome(annotation, person, { roles: ["manager"], ownsResource: true })).toBe(403);
    const image = { kind: "resource", guard: "project-image" } as const;
    expect(expectedOutcome(image, person, as("annotator"))).toBe("allowed");
    expect(expectedOutcome(image, person, outside)).toBe(404);
    expect(expectedOutcome(image, admin, outside)).toBe("allowed");
  });

  it("an unknown guard or kind has no expectation and throws", () => {
    expect(() => expectedOutcome({ kind: "resource", guard: "new-guard" }, person, outside)).toThrow(/new-guard/);
    expect(() => expectedOutcome({ kind: "mystery" } as never, person, outside)).toThrow(/No expectation/);
  });

  it("classifies statuses", () => {
    expect([200, 201, 400, 409, 410, 401, 403, 404].map(outcomeOfStatus)).toEqual([
      "allowed",
      "allowed",
      "allowed",
      "allowed",
      "allowed",
      401,
      403,
      404,
    ]);
  });
});
