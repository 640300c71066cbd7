"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

/** A link that marks itself current (aria-current) when its section is open. */
export function NavLink({
  href,
  exact = false,
  children,
  testId,
}: {
  href: string;
  exact?: boolean;
  children: React.ReactNode;
  testId?: string;
}) {
  const pathname = usePathname();
  const current = exact ? pathname === href : pathname === href || pathname.startsWith(`${href}/`);
  return (
    <Link href={href} aria-current={current ? "page" : undefined} data-testid={testId}>
      {children}
    </Link>
  );
}
