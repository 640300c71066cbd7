import { describe, expect, it } from "vitest";
import { ManifestError, buildManifest, manifestJson, type TManifestInput } from "./manifest";

const sha = (c: string) => c.repeat(64);
const base = (): TManifestInput => ({
  files: [
    { path: "images/b.jpg", sha256: sha("b"), bytes: 200 },
    { path: "annotations.json", sha256: sha("a"), bytes: 1000 },
  ],
  consentRecords: [
    {
      id: "c2",
      subjectCode: "S-0002",
      textVersion: "v2",
      textSha256: sha("c"),
      scopes: ["research", "annotation"],
      signedAt: "2025-03-01",
    },
    {
      id: "c1",
      subjectCode: "S-0001",
      textVersion: "v1",
      textSha256: sha("d"),
      scopes: ["research"],
      signedAt: new Date("2025-01-02T10:00:00Z"),
    },
  ],
  filters: { status: "accepted", project: "p1" },
  purpose: "research",
  unblurred: false,
  appVersion: "0.1.0",
  createdAt: new Date("2025-06-01T12:00:00Z"),
  counts: { images: 2, hands: 3, subjects: 2 },
  leftOut: [
    { reason: "consent withdrawn", count: 1 },
    { reason: "not accepted", count: 4 },
    { reason: "consent withdrawn", count: 2 },
    { reason: "no hands", count: 0 },
  ],
});

const issues = (input: TManifestInput) => {
  try {
    buildManifest(input);
    return [];
  } catch (e) {
    expect(e).toBeInstanceOf(ManifestError);
    return (e as ManifestError).issues;
  }
};

describe("buildManifest", () => {
  it("normalises: sorted files and records, ISO dates, merged left-out reasons", () => {
    const m = buildManifest(base());
    expect(m.schemaVersion).toBe(1);
    expect(m.files.map((f) => f.path)).toEqual(["annotations.json", "images/b.jpg"]);
    expect(m.consentRecords.map((c) => c.id)).toEqual(["c1", "c2"]);
    expect(m.consentRecords[0]!.signedAt).toBe("2025-01-02T10:00:00.000Z");
    expect(m.consentRecords[1]!.scopes).toEqual(["annotation", "research"]);
    expect(m.createdAt).toBe("2025-06-01T12:00:00.000Z");
    expect(m.leftOut).toEqual([
      { reason: "not accepted", count: 4 },
      { reason: "consent withdrawn", count: 3 },
    ]);
    expect(m.unblurredReason).toBeNull();
    expect(Object.keys(m.filters)).toEqual(["project", "status"]);
  });

  it("serialises to stable JSON that parses back to the same manifest", () => {
    const m = buildManifest(base());
    const text = manifestJson(m);
    expect(text.endsWith("\n")).toBe(true);
    expect(JSON.parse(text)).toEqual(m);
    expect(manifestJson(buildManifest({ ...base(), files: [...base().files].reverse() }))).toBe(text);
  });

  it("requires a reason for an unblurred export, and keeps it", () => {
    expect(issues({ ...base(), unblurred: true })).toEqual([
      "unblurredReason: an unblurred export needs a recorded reason",
    ]);
    expect(buildManifest({ ...base(), unblurred: true, unblurredReason: "ridge study" }).unblurredReason).toBe(
      "ridge study",
    );
  });

  it.each<[string, (m: TManifestInput) => void, RegExp]>([
    ["bad sha256", (m) => void (m.files[0]!.sha256 = "ABC"), /sha256/],
    ["negative bytes", (m) => void (m.files[0]!.bytes = -1), /files\.0\.bytes/],
    ["path escaping the archive", (m) => void (m.files[0]!.path = "../etc/passwd"), /relative/],
    ["absolute path", (m) => void (m.files[0]!.path = "/x"), /relative/],
    ["duplicate file", (m) => void (m.files[1]!.path = m.files[0]!.path), /duplicate file/],
    ["duplicate consent record", (m) => void (m.consentRecords[1]!.id = "c2"), /duplicate consent record/],
    [
      "record not covering purpose",
      (m) => void (m.consentRecords[0]!.scopes = ["annotation"]),
      /does not cover the purpose "research"/,
    ],
    ["bad date", (m) => void (m.createdAt = "yesterday"), /createdAt: not a valid date/],
    ["unknown purpose", (m) => void ((m as { purpose: string }).purpose = "marketing"), /purpose/],
    ["fractional count", (m) => void (m.counts.images = 1.5), /counts\.images/],
  ])("rejects %s", (_name, mutate, pattern) => {
    const input = base();
    mutate(input);
    const found = issues(input);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(pattern);
  });
});
