import { describe, expect, it } from "vitest";
import { logIncident, recovered } from "./incident-log";

describe("logIncident", () => {
  it("writes the first failure with details, counts repeats, and summarises them", () => {
    const lines: unknown[][] = [];
    const write = (...parts: unknown[]) => lines.push(parts);
    const error = new Error("connect ECONNREFUSED");
    for (let i = 0; i < 1000; i++) logIncident("db-test", "database unreachable", error, 1_000 + i * 10, write);
    expect(lines).toEqual([["database unreachable", error]]);
    logIncident("db-test", "database unreachable", error, 70_000, write);
    expect(lines[1]).toEqual([expect.stringMatching(/^database unreachable \(999 more since .* not logged\)$/)]);
    logIncident("db-test", "database unreachable", error, 70_001, write);
    recovered("db-test", "database reachable again", 80_000, write);
    expect(lines).toHaveLength(3);
    expect(lines[2]).toEqual(["database reachable again (after 79 s, 1 repeated error(s) not logged)"]);
    recovered("db-test", "nothing to say", 90_000, write);
    expect(lines).toHaveLength(3);
  });

  it("keeps different kinds of failure apart", () => {
    const lines: unknown[][] = [];
    const write = (...parts: unknown[]) => lines.push(parts);
    logIncident("a", "first kind", undefined, 0, write);
    logIncident("b", "second kind", undefined, 1, write);
    logIncident("a", "first kind", undefined, 2, write);
    expect(lines).toEqual([["first kind"], ["second kind"]]);
  });
});
