import { ExportPanel } from "@/components/exports/export-panel";
import { projectPage } from "@/lib/server/http/page";

export const metadata = { title: "Exports" };

export default projectPage({ permission: "exports.create" }, async function ExportsPage({ params: { projectId } }) {
  return <ExportPanel projectId={projectId} />;
});
