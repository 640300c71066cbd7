import Link from "next/link";

export default function Forbidden() {
  return (
    <main className="page" data-testid="page-forbidden">
      <h1>Not allowed</h1>
      <p className="muted">
        Your role does not allow this page. Ask a project manager or an administrator if you need access.
      </p>
      <Link href="/projects">Back to your projects</Link>
    </main>
  );
}
