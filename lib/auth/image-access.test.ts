import { describe, expect, it } from "vitest";
import { decideImageAccess, type TImageAccessFacts } from "./image-access";

const base: TImageAccessFacts = { roles: [], isAnnotatorOfImage: false, imageState: "active", consentAllowsAnnotation: true };

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
    ["annotator of the image, consent withdrawn", { roles: ["annotator"], isAnnotatorOfImage: true, consentAllowsAnnotation: false }, "forbidden"],
    ["no role (admin without membership)", {}, "forbidden"],
  ])("%s → %s", (_name, facts, expected) => {
    expect(decideImageAccess({ ...base, ...facts })).toBe(expected);
  });
});
