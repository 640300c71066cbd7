import Link from "next/link";

export default function NotFound() {
  return (
    <main className="page" data-testid="page-not-found">
      <h1>Not found</h1>
      <p className="muted">This page does not exist, or you have no access to it.</p>
      <Link href="/projects">Back to your projects</Link>
    </main>
  );
}
