import { ExportPanel } from "@/components/exports/export-panel";
import { requireProjectPermission } from "@/lib/server/auth/authorize";
import { guardPage } from "@/lib/server/http/page";

export const metadata = { title: "Exports" };

export default async function ExportsPage({ params }: { params: Promise<{ projectId: string }> }) {
  const { projectId } = await params;
  await guardPage(requireProjectPermission(projectId, "exports.create"));
  return <ExportPanel projectId={projectId} />;
}
