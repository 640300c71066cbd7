"use client";

import { useRouter } from "next/navigation";
import { callApi } from "@/components/forms/call-api";

export function SignOutButton() {
  const router = useRouter();
  return (
    <button
      type="button"
      data-testid="signout"
      onClick={async () => {
        await callApi("DELETE", "/api/session");
        router.replace("/login");
        router.refresh();
      }}
    >
      Sign out
    </button>
  );
}
