import Link from "next/link";
import { AssignForm } from "@/components/assignments/assign-form";
import { assignmentSummary } from "@/lib/server/assignments/assign-images";
import { projectPage } from "@/lib/server/http/page";
import { listSubjects } from "@/lib/server/subjects/subjects";

export const metadata = { title: "Assignments" };

export default projectPage({ permission: "project.manage" }, async function AssignmentsPage({ params: { projectId } }) {
  const [people, subjects] = await Promise.all([
    assignmentSummary(projectId),
    listSubjects(projectId, undefined, { imageCounts: false }),
  ]);
  return (
    <div className="stack">
      <p className="muted">
        Assigned images go to their assignee before the open queue, and nobody else can claim them until the assignee
        has handed them in or skipped them. To assign particular images, filter the{" "}
        <Link href={`/projects/${projectId}/images`}>gallery</Link> and assign the page shown.
      </p>
      <AssignForm projectId={projectId} people={people} subjects={subjects.map((s) => ({ id: s.id, code: s.code }))} />
      <h2>Due per person</h2>
      <table data-testid="assignments-table">
        <thead>
          <tr>
            <th>Annotator</th>
            <th>Due</th>
            <th>Done</th>
          </tr>
        </thead>
        <tbody>
          {people.map((p) => (
            <tr key={p.userId} data-testid="assignment-row" data-user={p.userId}>
              <td>{p.name}</td>
              <td data-testid="assignment-due">{p.due}</td>
              <td data-testid="assignment-done">{p.done}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
});
