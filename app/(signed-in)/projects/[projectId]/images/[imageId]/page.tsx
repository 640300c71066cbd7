import Link from "next/link";
import { z } from "zod";
import { getProjectOrThrow } from "@/lib/server/projects/project-settings";
import { guardPage, projectPage } from "@/lib/server/http/page";
import { getImageDetail } from "@/lib/server/images/image-detail";
import { GoldToggle } from "@/components/images/gold-toggle";
import { auditActionLabel } from "@/lib/review/decision-label";
import { getImageLabels } from "@/lib/server/images/image-labels";
import { ImageLabels } from "@/components/review/image-labels";

export const metadata = { title: "Image" };

/** `?label=<annotationId>&fix=1`: which labels to show first, and whether in fix mode (from the labels browser). */
const ZImageLabelsQuery = z.object({
  label: z.string().max(100).optional().catch(undefined),
  fix: z.string().optional().catch(undefined),
});

export default projectPage<{ projectId: string; imageId: string }>(
  { permission: "images.upload" },
  async function ImagePage({ params: { projectId, imageId }, searchParams }) {
    const { image, decision, audit } = await guardPage(getImageDetail(projectId, imageId));
    const [labels, project] = await Promise.all([getImageLabels(projectId, imageId), getProjectOrThrow(projectId)]);
    const { label, fix } = ZImageLabelsQuery.parse(searchParams);
    return (
      <div className="stack">
        <Link href={`/projects/${projectId}/images`}>All images</Link>
        <div className="row" style={{ alignItems: "flex-start" }}>
          <div
            style={{
              flex: "2 1 480px",
              background: "#0e0f11",
              borderRadius: "var(--radius)",
              padding: "var(--space-2)",
            }}
          >
            {image.state === "purged" ? (
              <div className="empty">This image was purged: its files no longer exist.</div>
            ) : (
              // eslint-disable-next-line @next/next/no-img-element -- private, authorised bytes; no optimiser
              <img
                src={`/api/images/${image.id}/display`}
                alt={`Image of ${image.subject.code}`}
                style={{ maxWidth: "100%", display: "block", margin: "0 auto" }}
                data-testid="image-display"
              />
            )}
          </div>
          <dl className="card" style={{ flex: "1 1 280px", margin: 0 }} data-testid="image-meta">
            <dt className="muted">Subject</dt>
            <dd>
              <Link href={`/projects/${projectId}/subjects/${image.subject.id}`}>{image.subject.code}</Link>
            </dd>
            <dt className="muted">Consent for annotation</dt>
            <dd className={decision.allowed ? "status-ok" : "status-bad"} data-testid="image-consent">
              {decision.allowed ? "active" : decision.message}
            </dd>
            <dt className="muted">State</dt>
            <dd data-testid="image-state">{image.state}</dd>
            <dt className="muted">Size</dt>
            <dd>
              {image.width} × {image.height} px · {(image.byteSize / 1024).toFixed(0)} KB · {image.mimeType}
            </dd>
            <dt className="muted">File</dt>
            <dd>{image.originalFilename || "–"}</dd>
            <dt className="muted">sha256</dt>
            <dd>
              <code>{image.sha256.slice(0, 16)}…</code>
            </dd>
            <dt className="muted">Uploaded</dt>
            <dd>
              {image.createdAt.toLocaleString()}
              {image.uploadedBy ? ` by ${image.uploadedBy.name}` : ""}
            </dd>
            <dt className="muted">Annotations</dt>
            <dd>
              {image.annotations.length === 0 ? (
                "none yet"
              ) : (
                <ul style={{ margin: 0, paddingLeft: 16 }} data-testid="image-annotations">
                  {image.annotations.map((a) => (
                    <li key={a.id} className="row">
                      {a.annotator.name}: {a.status}
                      {a.goldScore !== null ? ` · gold OKS ${a.goldScore.toFixed(2)}` : ""}
                      {a.status === "accepted" && a.goldScore === null && (
                        <GoldToggle projectId={projectId} annotationId={a.id} isGold={a.isGold} />
                      )}
                    </li>
                  ))}
                </ul>
              )}
            </dd>
            {image.state !== "purged" && (
              <>
                <dt className="muted">Original</dt>
                <dd>
                  <a href={`/api/images/${image.id}/original`} target="_blank" rel="noreferrer">
                    Open original (logged)
                  </a>
                </dd>
              </>
            )}
          </dl>
        </div>
        {image.state !== "purged" && (
          <ImageLabels
            projectId={projectId}
            image={{ id: image.id, width: image.width, height: image.height }}
            project={{
              gestures: project.gestures,
              handAttributes: project.handAttributes,
              imageFlags: project.imageFlags,
            }}
            initial={{ annotationId: label ?? null, fix: fix === "1" }}
            {...labels}
          />
        )}
        <h2>History</h2>
        <table data-testid="image-audit">
          <thead>
            <tr>
              <th>When</th>
              <th>Who</th>
              <th>What</th>
            </tr>
          </thead>
          <tbody>
            {audit.map((event) => (
              <tr key={event.id}>
                <td>{event.at.toLocaleString()}</td>
                <td>{event.actor?.name ?? "system"}</td>
                <td>{auditActionLabel(event.action)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    );
  },
);
