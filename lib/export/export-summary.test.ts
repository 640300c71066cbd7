import { describe, expect, it } from "vitest";
import { exportSummary } from "./export-summary";

const ratios = { train: 0.8, val: 0.1, test: 0.1 };

describe("exportSummary", () => {
  it("says an export without images is empty", () => {
    const summary = exportSummary({ images: 0, subjects: 0 }, ratios);
    expect(summary.subjectsPerSplit).toBeNull();
    expect(summary.warnings).toEqual([expect.stringContaining("This export is empty")]);
  });

  it("gives realised subjects per split and warns when the test split came out empty", () => {
    const summary = exportSummary({ images: 12, subjects: 2 }, ratios);
    expect(summary.subjectsPerSplit).toEqual({ train: 2, val: 0, test: 0 });
    expect(summary.warnings).toEqual([
      "The val split is empty: 2 subjects are too few for a 10 % share (splits go by subject).",
      "The test split is empty: 2 subjects are too few for a 10 % share (splits go by subject).",
    ]);
  });

  it("has no warning when every requested split has subjects", () => {
    expect(exportSummary({ images: 40, subjects: 10 }, ratios)).toEqual({
      subjectsPerSplit: { train: 8, val: 1, test: 1 },
      warnings: [],
    });
  });

  it("says so when no test split was requested", () => {
    expect(exportSummary({ images: 40, subjects: 10 }, { train: 0.9, val: 0.1, test: 0 }).warnings).toEqual([
      expect.stringContaining("No test split was requested"),
    ]);
  });
});
