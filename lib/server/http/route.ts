import "server-only";
import { NextResponse } from "next/server";
import { z } from "zod";
import { AppError } from "@/lib/errors/app-error";
import { env } from "@/lib/env";
import { databaseUnavailable } from "@/lib/server/db/availability";
import { logIncident } from "@/lib/server/log/incident-log";
import { readCappedText } from "./read-capped";
import { refuseForeignRequest } from "./request-guard";

/** Body of every error answer: a message for people, and the failing fields for forms. */
export type TErrorBody = { error: string; code: string; fields?: Record<string, string>; retryAfterSeconds?: number };

export function errorResponse(error: AppError): NextResponse<TErrorBody> {
  const body: TErrorBody = { error: error.message, code: error.code };
  if (Object.keys(error.fields).length) body.fields = error.fields;
  const headers = new Headers();
  if (error.retryAfterSeconds !== undefined) {
    body.retryAfterSeconds = error.retryAfterSeconds;
    headers.set("Retry-After", String(error.retryAfterSeconds));
  }
  return NextResponse.json(body, { status: error.status, headers });
}

export function fieldErrors(error: z.ZodError): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = issue.path.join(".") || "_";
    fields[key] ??= issue.message;
  }
  return fields;
}

/**
 * Parses a JSON body with a schema; malformed JSON and wrong types become a 400 naming the fields.
 * A body over PHALANX_MAX_JSON_BYTES is a 413 before the rest of it is read.
 */
export async function parseJson<T extends z.ZodType>(request: Request, schema: T): Promise<z.infer<T>> {
  const text = await readCappedText(request, env().PHALANX_MAX_JSON_BYTES);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new AppError("invalid_input", "The request body is not valid JSON");
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const fields = fieldErrors(parsed.error);
    throw new AppError("invalid_input", `Invalid input: ${Object.keys(fields).join(", ")}`, fields);
  }
  return parsed.data;
}

/**
 * Parses a multipart body whose `field` holds JSON validated by `schema`; returns the files too.
 * A body that is not multipart, or JSON that does not parse, is a 400 naming the problem.
 */
export async function parseMultipartJson<T extends z.ZodType>(request: Request, field: string, schema: T) {
  let form: FormData;
  try {
    form = await request.formData();
  } catch {
    throw new AppError("invalid_input", "The request body is not valid multipart form data");
  }
  let raw: unknown;
  try {
    raw = JSON.parse(String(form.get(field) ?? ""));
  } catch {
    throw new AppError("invalid_input", `The "${field}" field must hold JSON`, { [field]: "Not JSON" });
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const fields = fieldErrors(parsed.error);
    throw new AppError("invalid_input", `Invalid input: ${Object.keys(fields).join(", ")}`, fields);
  }
  const files = new Map<string, File>();
  for (const [name, value] of form.entries()) if (value instanceof File) files.set(name, value);
  return { data: parsed.data as z.infer<T>, files };
}

type THandler<P> = (request: Request, context: { params: P }) => Promise<Response>;

/**
 * Every API answer may carry consent-bound data (images, demographics, consent records): no cache
 * may keep a copy that a withdrawal could not reach. Set on every answer that sets no policy itself.
 */
export const CONSENT_BOUND_NO_STORE = "private, no-store";
function noStore(response: Response): Response {
  if (!response.headers.has("cache-control")) response.headers.set("cache-control", CONSENT_BOUND_NO_STORE);
  return response;
}

/**
 * The error mapping under the access wrappers of lib/server/http/api-route.ts; route files use those,
 * never this directly (lib/server/http/routes-declare-access.test.ts). Awaits the params and turns
 * AppErrors into their status codes.
 * Anything else is a 500 with a generic message; details stay in the server log.
 */
export function route<P = Record<string, string>>(handler: THandler<P>) {
  return async (request: Request, context: { params: Promise<P> }): Promise<Response> => {
    const refused = refuseForeignRequest(request);
    if (refused) return refused;
    try {
      return noStore(await handler(request, { params: await context.params }));
    } catch (error) {
      if (error instanceof AppError) return noStore(errorResponse(error));
      // A unique index caught a race the service did not translate: still a conflict, not a crash.
      if ((error as { code?: string }).code === "P2002")
        return noStore(
          errorResponse(
            new AppError("conflict", "This conflicts with a change made at the same moment; reload and try again"),
          ),
        );
      const outage = databaseUnavailable(error);
      if (outage) return noStore(errorResponse(outage));
      logIncident(
        `internal ${error instanceof Error ? error.message : String(error)}`,
        `${request.method} ${new URL(request.url).pathname} failed:`,
        error,
      );
      return noStore(
        NextResponse.json({ error: "Something went wrong on the server", code: "internal" }, { status: 500 }),
      );
    }
  };
}
