/** The client's address for throttling: the first X-Forwarded-For hop (set by the proxy in front), else "local". */
export function clientAddress(headers: Headers): string {
  const forwarded = headers.get("x-forwarded-for")?.split(",")[0]?.trim();
  return forwarded || headers.get("x-real-ip") || "local";
}
