import type { Metadata } from "next";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Phalanx", template: "%s · Phalanx" },
  description: "Build reviewed, privacy-safe hand-pose datasets from consented photographs.",
};

// Every page is rendered per request: its scripts carry that response's CSP nonce (proxy.ts).
export const dynamic = "force-dynamic";

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}
