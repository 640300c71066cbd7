import Link from "next/link";
import { mayCreateProjects } from "@/lib/auth/permissions";
import { userPage } from "@/lib/server/http/page";
import { plural } from "@/lib/text/plural";
import { listProjectsFor } from "@/lib/server/projects/list-projects";

export const metadata = { title: "Projects" };

export default userPage(async function ProjectsPage({ user }) {
  const projects = await listProjectsFor(user);
  const canCreate = mayCreateProjects(
    user,
    projects.some((project) => project.roles.includes("manager")),
  );
  return (
    <>
      <div className="row" style={{ justifyContent: "space-between" }}>
        <h1>Projects</h1>
        {canCreate && (
          <Link className="button primary" href="/projects/new" data-testid="project-new">
            New project
          </Link>
        )}
      </div>
      {projects.length === 0 ? (
        <div className="empty" data-testid="projects-empty">
          <p>You are not a member of any project yet.</p>
          <p>{canCreate ? "Create one to start." : "Ask a project manager to add you to their project."}</p>
        </div>
      ) : (
        <ul className="grid" style={{ listStyle: "none", padding: 0 }} data-testid="project-list">
          {projects.map((project) => (
            <li key={project.id} className="card stack" data-testid="project-card">
              <Link href={`/projects/${project.id}`}>
                <strong>{project.name}</strong>
              </Link>
              <span className="muted">{project.description || "No description"}</span>
              <span className="row">
                {project.roles.length ? (
                  project.roles.map((role) => (
                    <span className="badge" key={role}>
                      {role}
                    </span>
                  ))
                ) : (
                  <span className="badge">admin</span>
                )}
                <span className="muted">
                  {plural(project.imageCount, "image")} · {plural(project.memberCount, "member")}
                </span>
              </span>
            </li>
          ))}
        </ul>
      )}
    </>
  );
});
