/** Client-side JSON calls to our route handlers, turning error answers into form-friendly results. */
export type TApiResult<T> =
  | { ok: true; data: T }
  | { ok: false; status: number; error: string; fields: Record<string, string>; retryAfterSeconds?: number };

export async function callApi<T>(method: string, url: string, body?: unknown): Promise<TApiResult<T>> {
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers: body === undefined ? undefined : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    return {
      ok: false,
      status: 0,
      error: "The server could not be reached. Check your connection and try again.",
      fields: {},
    };
  }
  const json = await response.json().catch(() => ({}));
  if (response.ok) return { ok: true, data: json as T };
  return {
    ok: false,
    status: response.status,
    error: json.error ?? `The server answered ${response.status}`,
    fields: json.fields ?? {},
    retryAfterSeconds: json.retryAfterSeconds,
  };
}
