import { describe, expect, it } from "vitest";
import { consentDecision, mayUseImage, recordInForce, retentionDeadline, type TConsentFacts } from "./rules";
import { ZConsentRecordInput } from "./schema";

const NOW = new Date("2026-06-01T12:00:00Z");
const DAY = 24 * 3600 * 1000;
const days = (n: number) => new Date(NOW.getTime() + n * DAY);

function record(overrides: Partial<TConsentFacts> = {}): TConsentFacts {
  return {
    id: "r1",
    scopes: ["annotation", "research"],
    biometricNoticeAcknowledged: true,
    signedAt: days(-10),
    retentionUntil: days(365),
    withdrawnAt: null,
    isMinor: false,
    guardianName: null,
    supersedesId: null,
    ...overrides,
  };
}

describe("consentDecision", () => {
  it.each<[string, TConsentFacts[], Parameters<typeof consentDecision>[1], string]>([
    ["no consent at all", [], "annotation", "no_consent"],
    ["valid consent with the scope", [record()], "annotation", "allowed"],
    ["scope missing", [record()], "commercial", "scope_missing"],
    ["withdrawn", [record({ withdrawnAt: days(-1) })], "annotation", "withdrawn"],
    [
      "withdrawal dated in the future is not yet in effect",
      [record({ withdrawnAt: days(2) })],
      "annotation",
      "allowed",
    ],
    ["expired retention", [record({ retentionUntil: days(-1) })], "annotation", "expired"],
    ["retention ends exactly now", [record({ retentionUntil: NOW })], "annotation", "expired"],
    [
      "biometric notice not acknowledged",
      [record({ biometricNoticeAcknowledged: false })],
      "annotation",
      "biometric_notice_missing",
    ],
    ["minor without guardian", [record({ isMinor: true })], "annotation", "minor_without_guardian"],
    [
      "minor with blank guardian",
      [record({ isMinor: true, guardianName: "  " })],
      "annotation",
      "minor_without_guardian",
    ],
    ["minor with guardian", [record({ isMinor: true, guardianName: "Pat Parent" })], "annotation", "allowed"],
    ["future-dated signature only", [record({ signedAt: days(3) })], "annotation", "not_yet_signed"],
    [
      "superseded record had the scope, its correction does not",
      [
        record({ id: "old", scopes: ["annotation", "commercial"] }),
        record({ id: "new", supersedesId: "old", signedAt: days(-5) }),
      ],
      "commercial",
      "scope_missing",
    ],
    [
      "correction adds the scope",
      [
        record({ id: "old" }),
        record({ id: "new", supersedesId: "old", scopes: ["annotation", "commercial"], signedAt: days(-5) }),
      ],
      "commercial",
      "allowed",
    ],
    [
      "renewed consent after a withdrawal",
      [record({ id: "first", withdrawnAt: days(-5) }), record({ id: "renewed", signedAt: days(-2) })],
      "annotation",
      "allowed",
    ],
    [
      "withdrawal of the latest record wins over an older valid one",
      [record({ id: "older", signedAt: days(-30) }), record({ id: "latest", withdrawnAt: days(-1) })],
      "annotation",
      "withdrawn",
    ],
    [
      "a future-dated correction does not replace the record in force yet… but hides the superseded one",
      [record({ id: "old" }), record({ id: "new", supersedesId: "old", signedAt: days(5) })],
      "annotation",
      "not_yet_signed",
    ],
  ])("%s", (_name, records, purpose, expected) => {
    const decision = consentDecision(records, purpose, NOW);
    expect(decision.allowed ? "allowed" : decision.reason).toBe(expected);
  });

  it("names the record it relied on", () => {
    expect(consentDecision([record({ id: "abc" })], "research", NOW)).toEqual({ allowed: true, recordId: "abc" });
  });
});

describe("mayUseImage", () => {
  it("refuses quarantined and purged images whatever the consent", () => {
    expect(mayUseImage({ state: "quarantined" }, [record()], "annotation", NOW)).toMatchObject({
      allowed: false,
      reason: "image_unavailable",
    });
    expect(mayUseImage({ state: "purged" }, [record()], "annotation", NOW)).toMatchObject({
      allowed: false,
      reason: "image_unavailable",
    });
    expect(mayUseImage({ state: "active" }, [record()], "annotation", NOW)).toMatchObject({ allowed: true });
  });
});

describe("recordInForce", () => {
  it("picks the latest signed, not superseded record", () => {
    const records = [
      record({ id: "a", signedAt: days(-20) }),
      record({ id: "b", signedAt: days(-10) }),
      record({ id: "c", signedAt: days(-15), supersedesId: "b" }),
    ];
    expect(recordInForce(records, NOW)?.id).toBe("c");
  });
});

describe("retentionDeadline", () => {
  it("defaults to the project's policy from the signature", () => {
    expect(retentionDeadline({ signedAt: NOW, lastInteractionAt: NOW, projectRetentionDays: 30 })).toEqual(days(30));
  });
  it("never goes beyond three years after the last interaction (BIPA)", () => {
    const deadline = retentionDeadline({
      signedAt: NOW,
      lastInteractionAt: days(-400),
      projectRetentionDays: 1095,
      requested: days(5000),
    });
    expect(deadline).toEqual(days(-400 + 1095));
  });
});

describe("ZConsentRecordInput", () => {
  const valid = {
    consentTextId: "t1",
    scopes: ["annotation"],
    biometricNoticeAcknowledged: true,
    signedAt: "2026-05-01",
    jurisdiction: "EU",
  };
  it("accepts ISO dates and refuses malformed ones, naming the field", () => {
    expect(ZConsentRecordInput.parse(valid).signedAt).toEqual(new Date("2026-05-01"));
    const bad = ZConsentRecordInput.safeParse({ ...valid, signedAt: "31/02/2026" });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0].path).toEqual(["signedAt"]);
  });
  it("requires a guardian for a minor", () => {
    const bad = ZConsentRecordInput.safeParse({ ...valid, isMinor: true });
    expect(bad.error?.issues[0].path).toEqual(["guardianName"]);
  });
  it("refuses unknown and duplicate scopes", () => {
    expect(ZConsentRecordInput.safeParse({ ...valid, scopes: ["biometrics"] }).success).toBe(false);
    expect(ZConsentRecordInput.safeParse({ ...valid, scopes: ["annotation", "annotation"] }).success).toBe(false);
  });
});
