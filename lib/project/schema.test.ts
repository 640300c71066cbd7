import { describe, expect, it } from "vitest";
import { PROJECT_DEFAULTS, ZProjectSettings, ZUpdateProject } from "./schema";
import { HAGRID_V2_GESTURES } from "./gestures";

describe("project settings", () => {
  it("fills every omitted setting with its default", () => {
    const settings = ZProjectSettings.parse({ name: "Hands" });
    expect(settings).toEqual({ name: "Hands", ...PROJECT_DEFAULTS });
    expect(settings.gestures).toHaveLength(HAGRID_V2_GESTURES.length + 4);
    expect(HAGRID_V2_GESTURES).toHaveLength(33);
  });

  it("never lets an update reset fields it did not name", () => {
    expect(ZUpdateProject.parse({ name: "Renamed" })).toEqual({ name: "Renamed" });
    expect(ZUpdateProject.safeParse({}).success).toBe(false);
    expect(ZUpdateProject.safeParse({ owner: "me" }).success).toBe(false);
  });

  it("refuses retention beyond three years and duplicate gestures", () => {
    const result = ZProjectSettings.safeParse({ name: "x", retentionDays: 1096, gestures: ["fist", "fist"] });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.path[0]).sort()).toEqual(["gestures", "retentionDays"]);
  });
});
