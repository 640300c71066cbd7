import Link from "next/link";
import { AdjudicateButton } from "@/components/review/adjudicate-button";
import { ANNOTATION_STATUSES } from "@/lib/annotate/status";
import { permissionsOf } from "@/lib/auth/permissions";
import { ZHandView } from "@/lib/hand/schema";
import { browserFilterParams, LABEL_SOURCES, parseBrowserFilters } from "@/lib/labels/browser-filters";
import { QUALITY_FLAG_CODES } from "@/lib/qc/flag";
import { projectPage } from "@/lib/server/http/page";
import { browseLabels, labellersOf } from "@/lib/server/labels/browse-labels";
import { getProjectOrThrow } from "@/lib/server/projects/project-settings";

export const metadata = { title: "Labels" };

export default projectPage<{ projectId: string }, Record<string, string | string[] | undefined>>(
  { permission: "images.upload" },
  async function LabelsPage({ params: { projectId }, searchParams, access: { user, roles } }) {
    const parsed = parseBrowserFilters(searchParams);
    const { filters } = parsed;
    const [page, labellers, project] = await Promise.all([
      browseLabels(projectId, filters),
      labellersOf(projectId),
      getProjectOrThrow(projectId),
    ]);
    const permissions = permissionsOf(user, roles);
    const mayReview = permissions.includes("qc.review");
    const mayCorrect = permissions.includes("project.manage");
    const kept = browserFilterParams(filters);
    const pageHref = (cursor: Record<string, string>) => `?${new URLSearchParams({ ...kept, ...cursor })}`;
    const gestures = project.gestures;
    return (
      <div className="stack">
        <form className="row" aria-label="Filter labels" data-testid="labels-filters">
          <FilterSelect
            name="status"
            label="Status"
            any="Any status"
            value={filters.status}
            options={Object.keys(ANNOTATION_STATUSES).map((s) => [s, s])}
          />
          <FilterSelect
            name="flag"
            label="Quality flag"
            any="Any flag"
            value={filters.flag}
            options={QUALITY_FLAG_CODES.map((code) => [code, code])}
          />
          <FilterSelect
            name="gesture"
            label="Gesture"
            any="Any gesture"
            value={filters.gesture}
            options={gestures.map((g) => [g, g])}
          />
          <FilterSelect
            name="view"
            label="View"
            any="Any view"
            value={filters.view}
            options={ZHandView.options.map((v) => [v, v])}
          />
          <FilterSelect
            name="annotatorId"
            testId="labels-annotator"
            label="Annotator"
            any="Anyone"
            value={filters.annotatorId}
            options={labellers.map((p) => [p.id, p.name])}
          />
          <FilterSelect
            name="gold"
            label="Gold"
            any="Gold or not"
            value={filters.gold}
            options={[
              ["yes", "gold only"],
              ["no", "not gold"],
            ]}
          />
          <FilterSelect
            name="source"
            label="Source"
            any="Any source"
            value={filters.source}
            options={Object.entries(LABEL_SOURCES)}
          />
          <button type="submit">Filter</button>
          <Link href="?">Clear</Link>
        </form>
        {!parsed.ok && (
          <div className="notice" role="status" data-testid="labels-ignored">
            Ignored: {parsed.problems.join("; ")}
          </div>
        )}
        <p className="muted" data-testid="labels-count">
          {page.totalIsLowerBound
            ? `More than ${page.total.toLocaleString("en")} labellings`
            : `${page.total} labelling${page.total === 1 ? "" : "s"}`}
        </p>
        {page.items.length === 0 ? (
          <div className="empty" data-testid="labels-empty">
            No labelling matches these filters.
          </div>
        ) : (
          <table data-testid="labels-table">
            <thead>
              <tr>
                <th>File</th>
                <th>Subject</th>
                <th>Annotator</th>
                <th>Status</th>
                <th>Hands</th>
                <th>Flags</th>
                <th>Source</th>
                <th>Open</th>
              </tr>
            </thead>
            <tbody>
              {page.items.map((item) => (
                <tr key={item.id} data-testid="labels-row" data-annotation={item.id} data-status={item.status}>
                  <td data-testid="labels-file">{item.image.originalFilename || "–"}</td>
                  <td>{item.subjectCode}</td>
                  <td>{item.annotator.name}</td>
                  <td>
                    <span className="badge">{item.status}</span>
                    {item.isGold && <span className="badge status-ok">gold</span>}
                  </td>
                  <td>
                    {item.noHands
                      ? "no hands"
                      : item.hands
                          .map((h) => [h.handedness, h.gesture, h.view].filter((part) => part).join(" "))
                          .join(", ") || "–"}
                  </td>
                  <td>
                    {item.flagCodes.length === 0 ? (
                      "–"
                    ) : (
                      <span className={item.strongFlags ? "status-bad" : "status-warn"}>
                        {item.flagCodes.join(", ")}
                      </span>
                    )}
                  </td>
                  <td>{LABEL_SOURCES[item.source as keyof typeof LABEL_SOURCES] ?? item.source}</td>
                  <td className="row">
                    <Link
                      href={`/projects/${projectId}/images/${item.image.id}#image-labels-title`}
                      data-testid="labels-open"
                      aria-label={`View the labels of ${item.image.originalFilename || item.subjectCode}`}
                    >
                      View
                    </Link>
                    {mayCorrect && item.status === "accepted" && item.annotator.id !== user.id && (
                      <Link
                        href={`/projects/${projectId}/images/${item.image.id}?label=${item.id}&fix=1#image-labels-title`}
                        data-testid="labels-fix"
                        aria-label={`Fix the labels of ${item.image.originalFilename || item.subjectCode}`}
                      >
                        Fix
                      </Link>
                    )}
                    {mayReview && item.status === "submitted" && item.annotator.id !== user.id && (
                      <AdjudicateButton projectId={projectId} annotationId={item.id} label="Review / fix" />
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {(page.previousCursor || page.nextCursor) && (
          <nav className="row" aria-label="Pages">
            {page.previousCursor && (
              <Link href={pageHref({})} data-testid="labels-first">
                Newest
              </Link>
            )}
            {page.previousCursor && (
              <Link href={pageHref({ before: page.previousCursor })} data-testid="labels-previous">
                Previous
              </Link>
            )}
            {page.nextCursor && (
              <Link href={pageHref({ after: page.nextCursor })} data-testid="labels-next">
                Next
              </Link>
            )}
          </nav>
        )}
      </div>
    );
  },
);

/** One filter of the form: "any" first, then the values; the current filter preselected. */
function FilterSelect(props: {
  name: string;
  label: string;
  any: string;
  value: string | null | undefined;
  options: readonly (readonly [value: string, text: string])[];
  testId?: string;
}) {
  return (
    <select
      name={props.name}
      defaultValue={props.value ?? ""}
      aria-label={props.label}
      data-testid={props.testId ?? `labels-${props.name}`}
    >
      <option value="">{props.any}</option>
      {props.options.map(([value, text]) => (
        <option key={value} value={value}>
          {text}
        </option>
      ))}
    </select>
  );
}
