import { CoverageView } from "@/components/coverage/coverage-view";
import { permissionsOf } from "@/lib/auth/permissions";
import { ZCoverageQuery } from "@/lib/coverage/query";
import { getCoverage } from "@/lib/server/coverage/coverage-report";
import { guardPage, projectPage } from "@/lib/server/http/page";
import { queueCoverageFirst } from "@/lib/server/coverage/queue-priority";

export const metadata = { title: "Coverage" };

/** Managers only (demographics are aggregated here): what the dataset has and lacks, targets and the shot list. */
export default projectPage(
  { permission: "subjects.view" },
  async function CoveragePage({ params: { projectId }, access: { user, roles } }) {
    const report = await guardPage(getCoverage(projectId, ZCoverageQuery.parse({})));
    return (
      <CoverageView
        projectId={projectId}
        initial={report}
        canEditTargets={permissionsOf(user, roles).includes("project.manage")}
        queueCoverageFirst={await queueCoverageFirst(projectId)}
      />
    );
  },
);
