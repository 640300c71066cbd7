import { AppError } from "@/lib/errors/app-error";

const tooLarge = (maxBytes: number) =>
  new AppError(
    "payload_too_large",
    `The request body is larger than the limit of ${maxBytes} bytes (PHALANX_MAX_JSON_BYTES)`,
  );

/**
 * A request body as text, refusing (413) one over `maxBytes`: at once when Content-Length says so,
 * else as soon as the bytes read pass the limit; the rest is never read.
 */
export async function readCappedText(request: Request, maxBytes: number): Promise<string> {
  const declared = Number(request.headers.get("content-length") ?? NaN);
  if (declared > maxBytes) throw tooLarge(maxBytes);
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => {});
      throw tooLarge(maxBytes);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}
