import { describe, expect, it } from "vitest";
import { newId } from "./new-id";

describe("newId", () => {
  it("gives distinct lowercase 25-character ids that start with a letter", () => {
    const ids = Array.from({ length: 10_000 }, newId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids.slice(0, 100)) expect(id).toMatch(/^c[0-9a-z]{24}$/);
  });
});
