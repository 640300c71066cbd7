"use client";

import dynamic from "next/dynamic";
import type { TWorkspaceProps } from "./workspace";

// Konva needs the browser's canvas: the workspace renders on the client only.
const Workspace = dynamic(() => import("./workspace").then((m) => m.Workspace), {
  ssr: false,
  loading: () => (
    <p className="muted" style={{ padding: 24 }}>
      Loading the workspace…
    </p>
  ),
});

export function WorkspaceLoader(props: TWorkspaceProps) {
  return <Workspace {...props} />;
}
