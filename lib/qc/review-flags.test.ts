import { describe, expect, it } from "vitest";
import { reviewFlags } from "./review-flags";
import type { THandFlag } from "./annotation-flags";

const flag = (code: THandFlag["code"], hand = 0): THandFlag => ({
  code,
  severity: "warning",
  message: code,
  joints: [],
  hand,
});

describe("reviewFlags", () => {
  it("keeps the rubber-stamp flag stored at submit beside the recomputed checks, not stale label flags", () => {
    const recomputed = [flag("finger-order", 1)];
    const stored = [flag("model-unchanged"), flag("bone-too-long")];
    expect(reviewFlags(recomputed, stored).map((f) => f.code)).toEqual(["finger-order", "model-unchanged"]);
    expect(reviewFlags([], [])).toEqual([]);
  });
});
