import { WorkspaceLoader } from "@/components/annotate/workspace-loader";
import { guardPage, resourcePage } from "@/lib/server/http/page";
import { ownAnnotation } from "@/lib/server/auth/resource-guards";
import { getAnnotationForEditor } from "@/lib/server/annotations/get-annotation-for-editor";
import { getProjectOrThrow } from "@/lib/server/projects/project-settings";
import { workProgress } from "@/lib/server/annotations/work-progress";
import { listIssues } from "@/lib/server/review/issues";

export const metadata = { title: "Annotate" };

export default resourcePage(
  ownAnnotation,
  async function AnnotatePage({ params: { annotationId }, access: { user, projectId } }) {
    const startOfDay = new Date();
    startOfDay.setHours(0, 0, 0, 0);
    const [payload, project, progress, issues] = await Promise.all([
      guardPage(getAnnotationForEditor(annotationId, user.id)),
      getProjectOrThrow(projectId),
      workProgress(projectId, user.id, startOfDay),
      listIssues(annotationId),
    ]);
    return (
      <WorkspaceLoader
        annotationId={annotationId}
        projectId={projectId}
        image={payload.image}
        project={{
          name: project.name,
          gestures: payload.project.gestures,
          handAttributes: payload.project.handAttributes,
          imageFlags: payload.project.imageFlags,
        }}
        initialDoc={payload.doc}
        initialVersion={payload.version}
        initialPrediction={payload.modelPrediction}
        readOnly={!payload.editable}
        returnedComment={payload.review?.comment ?? null}
        pins={payload.review?.pins ?? []}
        progress={progress}
        issues={issues}
      />
    );
  },
);
