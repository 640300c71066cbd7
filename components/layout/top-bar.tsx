import Link from "next/link";
import { SignOutButton } from "@/components/auth/sign-out-button";
import { NavLink } from "./nav-link";

export function TopBar({ user }: { user: { name: string; email: string; isAdmin: boolean } }) {
  return (
    <header className="topbar">
      <Link href="/projects" className="brand">
        PHALANX
      </Link>
      <nav aria-label="Main">
        <NavLink href="/projects" testId="nav-projects">
          Projects
        </NavLink>
        {user.isAdmin && (
          <NavLink href="/admin/users" testId="nav-admin">
            Users
          </NavLink>
        )}
      </nav>
      <NavLink href="/account" testId="nav-account">
        {user.name}
      </NavLink>
      <SignOutButton />
    </header>
  );
}
