import Link from "next/link";
import { IMAGE_STATES, LABEL_STATUSES, ZGalleryFilters } from "@/lib/images/gallery-filters";
import { projectPage } from "@/lib/server/http/page";
import { listImages } from "@/lib/server/images/list-images";
import { listSubjects } from "@/lib/server/subjects/subjects";
import { AssignForm } from "@/components/assignments/assign-form";
import { assignmentSummary } from "@/lib/server/assignments/assign-images";

export const metadata = { title: "Images" };

export default projectPage<{ projectId: string }, Record<string, string>>(
  { permission: "images.upload" },
  async function GalleryPage({ params: { projectId }, searchParams: raw }) {
    // Unknown filter values are ignored rather than failing the page.
    const filters = ZGalleryFilters.catch(ZGalleryFilters.parse({})).parse(
      Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== "")),
    );
    const [{ images, total, totalIsLowerBound, nextCursor, previousCursor }, subjects, people] = await Promise.all([
      listImages(projectId, filters),
      listSubjects(projectId, undefined, { imageCounts: false }),
      assignmentSummary(projectId),
    ]);
    // Keyset paging: the links name the image the next (or previous) page starts after (or before).
    const { after: _after, before: _before, page: _page, ...kept } = raw;
    const pageHref = (cursor: Record<string, string>) => `?${new URLSearchParams({ ...kept, ...cursor })}`;
    return (
      <div className="stack">
        <div className="row" style={{ justifyContent: "space-between" }}>
          <form className="row" aria-label="Filter images" data-testid="gallery-filters">
            <select
              name="subjectId"
              defaultValue={filters.subjectId ?? ""}
              aria-label="Subject"
              data-testid="filter-subject"
            >
              <option value="">All subjects</option>
              {subjects.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.code}
                </option>
              ))}
            </select>
            <select
              name="status"
              defaultValue={filters.status ?? ""}
              aria-label="Label status"
              data-testid="filter-status"
            >
              <option value="">Any label status</option>
              {LABEL_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </select>
            <select
              name="consent"
              defaultValue={filters.consent ?? ""}
              aria-label="Consent"
              data-testid="filter-consent"
            >
              <option value="">Any consent</option>
              <option value="usable">usable (consent for annotation)</option>
              <option value="blocked">blocked (no active consent)</option>
            </select>
            <select name="state" defaultValue={filters.state ?? ""} aria-label="Image state" data-testid="filter-state">
              <option value="">Any state</option>
              {IMAGE_STATES.map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </select>
            <button type="submit">Filter</button>
          </form>
          <span className="row">
            <Link className="button" href={`/projects/${projectId}/imports`} data-testid="images-import">
              Import labels
            </Link>
            <Link className="button" href={`/projects/${projectId}/pre-annotate`} data-testid="images-pre-annotate">
              Pre-annotate with the model
            </Link>
            <Link className="button primary" href={`/projects/${projectId}/images/upload`} data-testid="images-upload">
              Upload images
            </Link>
          </span>
        </div>
        <p className="muted" data-testid="gallery-count">
          {totalIsLowerBound
            ? `More than ${total.toLocaleString("en")} images`
            : `${total} image${total === 1 ? "" : "s"}`}
        </p>
        {images.length === 0 ? (
          <div className="empty" data-testid="gallery-empty">
            No images match. Upload photos of a consenting subject to start.
          </div>
        ) : (
          <ul className="thumbs" data-testid="gallery">
            {images.map((image) => (
              <li
                key={image.id}
                data-testid="gallery-item"
                data-state={image.state}
                data-consent={image.consentAllowed ? "usable" : "blocked"}
              >
                <Link href={`/projects/${projectId}/images/${image.id}`}>
                  {image.state === "purged" ? (
                    <div
                      className="empty"
                      style={{ aspectRatio: "4 / 3", padding: 0, display: "grid", placeItems: "center" }}
                    >
                      purged
                    </div>
                  ) : (
                    // eslint-disable-next-line @next/next/no-img-element -- private, authorised bytes; no optimiser
                    <img
                      src={`/api/images/${image.id}/thumb`}
                      alt={`${image.subjectCode}, ${image.originalFilename}`}
                      loading="lazy"
                    />
                  )}
                </Link>
                <div className="row" style={{ fontSize: "var(--text-sm)" }}>
                  <span>{image.subjectCode}</span>
                  {image.originalFilename && (
                    <span
                      className="muted"
                      data-testid="gallery-file"
                      title={image.originalFilename}
                      style={{ overflow: "hidden", textOverflow: "ellipsis", whiteSpace: "nowrap", maxWidth: "14ch" }}
                    >
                      {image.originalFilename}
                    </span>
                  )}
                  <span className="badge">{image.labelStatus}</span>
                  {!image.consentAllowed && <span className="badge status-bad">no consent</span>}
                  {image.state !== "active" && <span className="badge status-warn">{image.state}</span>}
                  {image.assignedTo && (
                    <span className="badge" data-testid="gallery-assignee">
                      → {image.assignedTo}
                    </span>
                  )}
                </div>
              </li>
            ))}
          </ul>
        )}
        {images.length > 0 && (
          <AssignForm projectId={projectId} people={people} imageIds={images.map((image) => image.id)} />
        )}
        {(previousCursor || nextCursor) && (
          <nav className="row" aria-label="Pages">
            {previousCursor && (
              <Link href={pageHref({})} data-testid="gallery-first">
                Newest
              </Link>
            )}
            {previousCursor && (
              <Link href={pageHref({ before: previousCursor })} data-testid="gallery-previous">
                Previous
              </Link>
            )}
            {nextCursor && (
              <Link href={pageHref({ after: nextCursor })} data-testid="gallery-next">
                Next
              </Link>
            )}
          </nav>
        )}
      </div>
    );
  },
);
