import "server-only";
import { NextResponse } from "next/server";
import { AppError } from "@/lib/errors/app-error";
import type { TAnnotationDoc } from "@/lib/annotate/schema";
import { readAnnotationDoc } from "./read-annotation-doc";

export type TCurrentAnnotation = { version: number; status: string; doc: TAnnotationDoc };

/** A stale version: the 409 carries the server's current document so the client can show or merge it. */
export class AnnotationConflictError extends AppError {
  constructor(
    message: string,
    readonly current: TCurrentAnnotation,
  ) {
    super("conflict", message);
    this.name = "AnnotationConflictError";
  }
}

export async function staleVersionError(annotationId: string, sentVersion: number): Promise<AnnotationConflictError> {
  const current = await readAnnotationDoc(annotationId);
  return new AnnotationConflictError(
    `A newer version of this annotation was saved (version ${current.version}, you edited version ${sentVersion}) — by you in another tab or window, or by another session. Reload it before saving again.`,
    current,
  );
}

export type TConflictBody = { error: string; code: "conflict"; current: TCurrentAnnotation };

/** Runs a route's work and answers JSON; a stale version becomes 409 { error, code: "conflict", current }. */
export async function jsonOrConflict(work: () => Promise<unknown>): Promise<Response> {
  try {
    return NextResponse.json(await work());
  } catch (error) {
    if (error instanceof AnnotationConflictError) {
      return NextResponse.json(
        { error: error.message, code: "conflict", current: error.current } satisfies TConflictBody,
        { status: 409 },
      );
    }
    throw error;
  }
}
