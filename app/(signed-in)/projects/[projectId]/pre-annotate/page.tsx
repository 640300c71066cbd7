import { projectPage } from "@/lib/server/http/page";
import { PreAnnotateLoader } from "@/components/assist/pre-annotate-loader";

export const metadata = { title: "Pre-annotate" };

export default projectPage({ permission: "images.upload" }, async function PreAnnotatePage({ params: { projectId } }) {
  return <PreAnnotateLoader projectId={projectId} />;
});
