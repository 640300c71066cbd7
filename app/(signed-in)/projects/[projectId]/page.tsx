import { projectPage } from "@/lib/server/http/page";
import { getProjectOrThrow } from "@/lib/server/projects/project-settings";
import { getProjectOverview } from "@/lib/server/projects/project-overview";

export default projectPage(
  { permission: "project.view" },
  async function ProjectOverviewPage({ params: { projectId }, access: { roles } }) {
    const project = await getProjectOrThrow(projectId);
    const { images, byStatus } = await getProjectOverview(projectId);
    return (
      <div className="stack">
        <p className="muted">{project.description || "No description yet."}</p>
        <div className="grid">
          <div className="card" data-testid="overview-images">
            <strong>{images}</strong> images
          </div>
          <div className="card">
            <strong>{byStatus.submitted ?? 0}</strong> awaiting review
          </div>
          <div className="card">
            <strong>{byStatus.accepted ?? 0}</strong> accepted annotations
          </div>
          <div className="card">
            <strong>{project.annotationsPerImage}</strong> annotation(s) per image · review sample{" "}
            {Math.round(project.reviewSampleRate * 100)}%
          </div>
        </div>
        <p className="muted">
          You work here as {roles.length ? roles.join(", ") : "administrator (no project role)"}.
          {images === 0 &&
            roles.includes("manager") &&
            " Next step: record subjects and their consent, then upload images."}
        </p>
      </div>
    );
  },
);
