import { NavLink } from "@/components/layout/nav-link";
import { requireProjectPermission } from "@/lib/server/auth/authorize";
import { guardPage } from "@/lib/server/http/page";
import { getProjectOrThrow } from "@/lib/server/projects/project-settings";
import { permissionsOf } from "@/lib/auth/permissions";

export default async function ProjectLayout({
  children,
  params,
}: {
  children: React.ReactNode;
  params: Promise<{ projectId: string }>;
}) {
  const { projectId } = await params;
  const { user, roles } = await guardPage(requireProjectPermission(projectId, "project.view"));
  const project = await getProjectOrThrow(projectId);
  const may = new Set(permissionsOf(user, roles));
  const base = `/projects/${projectId}`;
  return (
    <>
      <div className="row" style={{ justifyContent: "space-between" }}>
        <h1 data-testid="project-title">{project.name}</h1>
        <span className="row">
          {roles.map((role) => (
            <span className="badge" key={role}>
              {role}
            </span>
          ))}
        </span>
      </div>
      <nav className="tabs" aria-label="Project">
        <NavLink href={base} exact testId="tab-overview">
          Overview
        </NavLink>
        {may.has("audit.view") && (
          <NavLink href={`${base}/dashboard`} testId="tab-dashboard">
            Dashboard
          </NavLink>
        )}
        {may.has("annotations.write") && (
          <NavLink href={`${base}/annotate`} testId="tab-annotate">
            Annotate
          </NavLink>
        )}
        {may.has("qc.review") && (
          <NavLink href={`${base}/review`} testId="tab-review">
            Review
          </NavLink>
        )}
        {may.has("images.upload") && (
          <NavLink href={`${base}/images`} testId="tab-images">
            Images
          </NavLink>
        )}
        {may.has("images.upload") && (
          <NavLink href={`${base}/labels`} testId="tab-labels">
            Labels
          </NavLink>
        )}
        {may.has("project.manage") && (
          <NavLink href={`${base}/assignments`} testId="tab-assignments">
            Assignments
          </NavLink>
        )}
        {may.has("subjects.view") && (
          <NavLink href={`${base}/subjects`} testId="tab-subjects">
            Subjects
          </NavLink>
        )}
        {may.has("consent.manage") && (
          <NavLink href={`${base}/consent-texts`} testId="tab-consent-texts">
            Consent texts
          </NavLink>
        )}
        {may.has("members.view") && (
          <NavLink href={`${base}/members`} testId="tab-members">
            Members
          </NavLink>
        )}
        {may.has("exports.create") && (
          <NavLink href={`${base}/exports`} testId="tab-exports">
            Exports
          </NavLink>
        )}
        {may.has("subjects.view") && (
          <NavLink href={`${base}/coverage`} testId="tab-coverage">
            Coverage
          </NavLink>
        )}
        {may.has("project.manage") && (
          <NavLink href={`${base}/quality`} testId="tab-quality">
            Quality
          </NavLink>
        )}
        {may.has("project.manage") && (
          <NavLink href={`${base}/settings`} testId="tab-settings">
            Settings
          </NavLink>
        )}
      </nav>
      {children}
    </>
  );
}
