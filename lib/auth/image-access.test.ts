import { describe, expect, it } from "vitest";
import { decideImageAccess, type TImageAccessFacts } from "./image-access";

const base: TImageAccessFacts = {
  roles: [],
  variant: "display",
  isAnnotatorOfImage: false,
  annotatorNeedsOriginal: false,
  reviewerNeedsOriginal: false,
  imageState: "active",
  consentAllowsAnnotation: true,
};

describe("decideImageAccess", () => {
  it.each<[string, Partial<TImageAccessFacts>, string]>([
    ["manager, active image", { roles: ["manager"] }, "allow"],
    ["manager, quarantined image", { roles: ["manager"], imageState: "quarantined" }, "allow"],
    ["manager, consent withdrawn but not yet purged", { roles: ["manager"], consentAllowsAnnotation: false }, "allow"],
    ["anyone, purged image", { roles: ["manager"], imageState: "purged" }, "gone"],
    ["reviewer, active consented image", { roles: ["reviewer"] }, "allow"],
    ["reviewer, quarantined image", { roles: ["reviewer"], imageState: "quarantined" }, "forbidden"],
    ["reviewer, consent withdrawn", { roles: ["reviewer"], consentAllowsAnnotation: false }, "forbidden"],
    ["annotator of the image", { roles: ["annotator"], isAnnotatorOfImage: true }, "allow"],
    ["annotator of another image", { roles: ["annotator"] }, "forbidden"],
    [
      "annotator of the image, consent withdrawn",
      { roles: ["annotator"], isAnnotatorOfImage: true, consentAllowsAnnotation: false },
      "forbidden",
    ],
    ["no role (admin without membership)", {}, "forbidden"],
    ["manager, original", { roles: ["manager"], variant: "original" }, "allow"],
    [
      "reviewer, original of an image in their current review",
      { roles: ["reviewer"], variant: "original", reviewerNeedsOriginal: true },
      "allow",
    ],
    ["reviewer, original of any other image", { roles: ["reviewer"], variant: "original" }, "forbidden"],
    [
      "reviewer, original in review but consent withdrawn",
      { roles: ["reviewer"], variant: "original", reviewerNeedsOriginal: true, consentAllowsAnnotation: false },
      "forbidden",
    ],
    [
      "annotator holding a live claim, original",
      { roles: ["annotator"], variant: "original", isAnnotatorOfImage: true, annotatorNeedsOriginal: true },
      "allow",
    ],
    [
      "annotator whose work is done or skipped, original",
      { roles: ["annotator"], variant: "original", isAnnotatorOfImage: true },
      "forbidden",
    ],
    [
      "annotator need without the annotator role any more",
      { roles: ["reviewer"], variant: "original", annotatorNeedsOriginal: true },
      "forbidden",
    ],
    [
      "annotator, thumbnail of their own image",
      { roles: ["annotator"], variant: "thumb", isAnnotatorOfImage: true },
      "allow",
    ],
  ])("%s → %s", (_name, facts, expected) => {
    expect(decideImageAccess({ ...base, ...facts })).toBe(expected);
  });
});
