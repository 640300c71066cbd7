import { requireProjectPermission } from "@/lib/server/auth/authorize";
import { guardPage } from "@/lib/server/http/page";
import { PreAnnotateLoader } from "@/components/assist/pre-annotate-loader";

export const metadata = { title: "Pre-annotate" };

export default async function PreAnnotatePage({ params }: { params: Promise<{ projectId: string }> }) {
  const { projectId } = await params;
  await guardPage(requireProjectPermission(projectId, "images.upload"));
  return <PreAnnotateLoader projectId={projectId} />;
}
