"use client";

import dynamic from "next/dynamic";

// The model runs in the browser only.
const BatchPreAnnotate = dynamic(() => import("./batch-pre-annotate").then((m) => m.BatchPreAnnotate), { ssr: false });

export function PreAnnotateLoader({ projectId }: { projectId: string }) {
  return <BatchPreAnnotate projectId={projectId} />;
}
