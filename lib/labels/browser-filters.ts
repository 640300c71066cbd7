/**
 * The dataset browser's filters (a manager's view of every labelling): read from the page's URL search
 * params, so a filtered view can be bookmarked and shared. Framework-free.
 */
import { z } from "zod";
import { ANNOTATION_STATUSES, type TAnnotationStatus } from "@/lib/annotate/status";
import { ZHandView } from "@/lib/hand/schema";
import { ZQualityFlagCode } from "@/lib/qc/flag";

export const LABEL_STATUS_FILTERS = Object.keys(ANNOTATION_STATUSES) as [TAnnotationStatus, ...TAnnotationStatus[]];

/** Where a labelling's points came from, as stored in Annotation.source. */
export const LABEL_SOURCES = {
  manual: "Placed by hand",
  model_assisted: "Started from the model",
  imported: "Imported",
} as const;
export type TLabelSource = keyof typeof LABEL_SOURCES;

export const ZLabelBrowserFilters = z.object({
  status: z.enum(LABEL_STATUS_FILTERS).optional(),
  /** At least one stored quality flag with this code. */
  flag: ZQualityFlagCode.optional(),
  /** At least one hand with this gesture (the project's own list, so any short name). */
  gesture: z
    .string()
    .trim()
    .min(1)
    .max(64)
    .regex(/^[\w.-]+$/, "a gesture name is letters, digits, _ . -")
    .optional(),
  view: ZHandView.optional(),
  annotatorId: z.string().min(1).max(64).optional(),
  gold: z.enum(["yes", "no"]).optional(),
  source: z.enum(Object.keys(LABEL_SOURCES) as [TLabelSource, ...TLabelSource[]]).optional(),
  /** Keyset paging, newest first: the page after (or before) the labelling with this id. */
  after: z.string().min(1).max(64).optional(),
  before: z.string().min(1).max(64).optional(),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});
export type TLabelBrowserFilters = z.infer<typeof ZLabelBrowserFilters>;

export type TParsedBrowserFilters =
  { ok: true; filters: TLabelBrowserFilters } | { ok: false; filters: TLabelBrowserFilters; problems: string[] };

/**
 * Parses URL search params. Empty values mean "any". A bad value is named in `problems` and dropped,
 * so the page still answers (with that filter off) and says what it ignored.
 */
export function parseBrowserFilters(raw: Record<string, string | string[] | undefined>): TParsedBrowserFilters {
  const given = Object.fromEntries(
    Object.entries(raw)
      .map(([key, value]) => [key, Array.isArray(value) ? value[0] : value] as const)
      .filter(([key, value]) => value !== undefined && value !== "" && key in ZLabelBrowserFilters.shape),
  );
  const parsed = ZLabelBrowserFilters.safeParse(given);
  if (parsed.success) return { ok: true, filters: parsed.data };
  const bad = new Set(parsed.error.issues.map((issue) => String(issue.path[0])));
  const problems = parsed.error.issues.map(
    (issue) => `${String(issue.path[0])} "${given[String(issue.path[0])]}": ${issue.message}`,
  );
  const kept = Object.fromEntries(Object.entries(given).filter(([key]) => !bad.has(key)));
  return { ok: false, filters: ZLabelBrowserFilters.parse(kept), problems };
}

/** The search params of a filtered view, without paging (for links that keep the filters). */
export function browserFilterParams(filters: TLabelBrowserFilters): Record<string, string> {
  const { after: _after, before: _before, pageSize, ...rest } = filters;
  const params: Record<string, string> = {};
  for (const [key, value] of Object.entries(rest)) if (value !== undefined) params[key] = String(value);
  if (pageSize !== 50) params.pageSize = String(pageSize);
  return params;
}
