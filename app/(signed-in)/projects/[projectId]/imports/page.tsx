import Link from "next/link";
import { ImportForm } from "@/components/imports/import-form";
import { projectPage } from "@/lib/server/http/page";

export const metadata = { title: "Import labels" };

export default projectPage({ permission: "project.manage" }, async function ImportPage({ params: { projectId } }) {
  return (
    <div className="stack">
      <p>
        Bring labels made elsewhere (CVAT, Label Studio, an earlier Phalanx export) into this project. Upload the images
        first (<Link href={`/projects/${projectId}/images/upload`}>upload</Link>); a COCO image is matched to a project
        image by its content hash, else by its original file name. The labels must use the 21-keypoint hand layout.
      </p>
      <ImportForm projectId={projectId} />
    </div>
  );
});
