import { describe, expect, it } from "vitest";
import { DEFAULT_DISPLAY, clampDisplay, displayFilter } from "./display";

describe("display adjustments", () => {
  it("leaves the image untouched at the defaults", () => {
    expect(displayFilter(DEFAULT_DISPLAY)).toBe("");
  });
  it("turns brightness, contrast and gamma into one CSS filter", () => {
    expect(displayFilter({ brightness: 1.5, contrast: 0.8, gamma: 2 })).toBe(
      "brightness(1.5) contrast(0.8) url(#phalanx-display-gamma)",
    );
  });
  it("clamps values out of range and nonsense", () => {
    expect(clampDisplay({ brightness: 99, contrast: -1, gamma: Number.NaN })).toEqual({
      brightness: 3,
      contrast: 0.3,
      gamma: 1,
    });
  });
});
