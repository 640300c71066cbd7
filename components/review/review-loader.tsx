"use client";

import dynamic from "next/dynamic";
import type { TReviewWorkspaceProps } from "./review-workspace";

// Konva needs the browser's canvas: the review screen renders on the client only.
const ReviewWorkspace = dynamic(() => import("./review-workspace").then((m) => m.ReviewWorkspace), {
  ssr: false,
  loading: () => (
    <p className="muted" style={{ padding: 24 }}>
      Loading the review…
    </p>
  ),
});

export function ReviewLoader(props: TReviewWorkspaceProps) {
  return <ReviewWorkspace {...props} />;
}
