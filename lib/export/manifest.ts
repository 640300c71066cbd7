/**
 * manifest.json: the export's receipt. It lists every file with its sha256 (so a recipient can verify
 * the archive), the consent records the export relied on (so a later withdrawal can be traced to the
 * exports that contained the subject), the filters and purpose, whether fingertips were left unblurred and
 * why, and what was left out and for which reason.
 */
import { z } from "zod";
import { ZConsentScope } from "@/lib/consent/schema";

export const MANIFEST_SCHEMA_VERSION = 1;

const ZSha256 = z.string().regex(/^[0-9a-f]{64}$/, "sha256 must be 64 lowercase hex digits");
const ZIsoDate = z.union([z.date(), z.string()]).transform((v, ctx) => {
  const d = v instanceof Date ? v : new Date(v);
  if (Number.isNaN(d.getTime())) {
    ctx.addIssue({ code: "custom", message: "not a valid date" });
    return z.NEVER;
  }
  return d.toISOString();
});
const ZCount = z.number().int().nonnegative();

export const ZManifestFile = z.object({
  path: z
    .string()
    .min(1)
    .refine((p) => !p.startsWith("/") && !p.split("/").includes("..") && !p.includes("\\"), {
      message: "file paths are relative, forward-slashed and never contain ..",
    }),
  sha256: ZSha256,
  bytes: ZCount,
});
export type TManifestFile = z.infer<typeof ZManifestFile>;

export const ZManifestConsentRecord = z.object({
  id: z.string().min(1),
  subjectCode: z.string().min(1),
  textVersion: z.string().min(1),
  textSha256: ZSha256,
  scopes: z.array(ZConsentScope).min(1),
  signedAt: ZIsoDate,
});
export type TManifestConsentRecord = z.infer<typeof ZManifestConsentRecord>;

/** A rebuild of a revoked export names it, and what it no longer contains (recipients delete those). */
export const ZManifestSupersedes = z.object({
  exportId: z.string().min(1),
  createdAt: ZIsoDate,
  revokedAt: ZIsoDate.nullable(),
  revokedReason: z.string().nullable(),
  removedImages: z.array(z.string().min(1)),
  removedSubjects: z.array(z.string().min(1)),
});
export type TManifestSupersedes = z.input<typeof ZManifestSupersedes>;

export const ZManifestInput = z
  .object({
    files: z.array(ZManifestFile),
    consentRecords: z.array(ZManifestConsentRecord),
    filters: z.record(z.string(), z.unknown()),
    purpose: ZConsentScope,
    unblurred: z.boolean(),
    unblurredReason: z.string().trim().max(2000).nullable().optional(),
    appVersion: z.string().min(1),
    createdAt: ZIsoDate,
    counts: z.object({ images: ZCount, hands: ZCount, subjects: ZCount, annotations: ZCount.optional() }),
    leftOut: z.array(z.object({ reason: z.string().trim().min(1), count: ZCount })).default([]),
    exportId: z.string().min(1).optional(),
    formats: z.array(z.string().min(1)).optional(),
    supersedes: ZManifestSupersedes.nullable().optional(),
  })
  .superRefine((m, ctx) => {
    if (m.unblurred && !m.unblurredReason) {
      ctx.addIssue({
        code: "custom",
        path: ["unblurredReason"],
        message: "an unblurred export needs a recorded reason",
      });
    }
    const seen = new Set<string>();
    m.files.forEach((f, i) => {
      if (seen.has(f.path))
        ctx.addIssue({ code: "custom", path: ["files", i, "path"], message: `duplicate file ${f.path}` });
      seen.add(f.path);
    });
    const ids = new Set<string>();
    m.consentRecords.forEach((c, i) => {
      if (ids.has(c.id))
        ctx.addIssue({
          code: "custom",
          path: ["consentRecords", i, "id"],
          message: `duplicate consent record ${c.id}`,
        });
      ids.add(c.id);
      if (!c.scopes.includes(m.purpose)) {
        ctx.addIssue({
          code: "custom",
          path: ["consentRecords", i, "scopes"],
          message: `consent record ${c.id} does not cover the purpose "${m.purpose}"`,
        });
      }
    });
  });
export type TManifestInput = z.input<typeof ZManifestInput>;

export interface Manifest {
  schemaVersion: typeof MANIFEST_SCHEMA_VERSION;
  exportId?: string;
  appVersion: string;
  createdAt: string;
  purpose: z.infer<typeof ZConsentScope>;
  filters: Record<string, unknown>;
  formats?: string[];
  unblurred: boolean;
  unblurredReason: string | null;
  counts: { images: number; hands: number; subjects: number; annotations?: number };
  leftOut: { reason: string; count: number }[];
  consentRecords: TManifestConsentRecord[];
  files: TManifestFile[];
  supersedes?: z.infer<typeof ZManifestSupersedes>;
}

export class ManifestError extends Error {
  override name = "ManifestError";
  constructor(readonly issues: string[]) {
    super(`invalid manifest: ${issues.join("; ")}`);
  }
}

/**
 * Validate and normalise: files sorted by path, consent records by id, left-out reasons merged and
 * sorted (zero counts dropped), dates as ISO strings, filters with sorted keys. Throws ManifestError.
 */
export function buildManifest(input: TManifestInput): Manifest {
  const parsed = ZManifestInput.safeParse(input);
  if (!parsed.success) {
    throw new ManifestError(parsed.error.issues.map((i) => `${i.path.join(".") || "manifest"}: ${i.message}`));
  }
  const m = parsed.data;
  const leftOut = new Map<string, number>();
  for (const { reason, count } of m.leftOut) leftOut.set(reason, (leftOut.get(reason) ?? 0) + count);
  return {
    schemaVersion: MANIFEST_SCHEMA_VERSION,
    ...(m.exportId ? { exportId: m.exportId } : {}),
    appVersion: m.appVersion,
    createdAt: m.createdAt,
    purpose: m.purpose,
    filters: sortKeys(m.filters),
    ...(m.formats ? { formats: m.formats } : {}),
    unblurred: m.unblurred,
    unblurredReason: m.unblurred ? (m.unblurredReason ?? null) : null,
    counts: m.counts,
    leftOut: [...leftOut]
      .filter(([, count]) => count > 0)
      .map(([reason, count]) => ({ reason, count }))
      .sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason)),
    consentRecords: [...m.consentRecords]
      .map((c) => ({ ...c, scopes: [...c.scopes].sort() }))
      .sort((a, b) => cmp(a.id, b.id)),
    files: [...m.files].sort((a, b) => cmp(a.path, b.path)),
    ...(m.supersedes ? { supersedes: m.supersedes } : {}),
  };
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function sortKeys(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.keys(o)
      .sort()
      .map((k) => [k, o[k]]),
  );
}

/** The manifest as written to manifest.json: pretty, stable, newline-terminated. */
export function manifestJson(manifest: Manifest): string {
  return JSON.stringify(manifest, null, 2) + "\n";
}
