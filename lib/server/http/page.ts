import "server-only";
import { forbidden, notFound, redirect } from "next/navigation";
import { AppError } from "@/lib/errors/app-error";

/**
 * For pages: runs an authorisation or lookup step and turns its AppError into Next's answers —
 * sign-in redirect (401), the 403 page, or the 404 page (other projects never leak).
 */
export async function guardPage<T>(step: Promise<T>): Promise<T> {
  try {
    return await step;
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    if (error.code === "unauthenticated") redirect("/login");
    if (error.code === "forbidden") forbidden();
    if (error.code === "not_found") notFound();
    throw error;
  }
}
