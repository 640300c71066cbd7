import { describe, expect, it } from "vitest";
import { z } from "zod";
import { AppError } from "@/lib/errors/app-error";
import { env } from "@/lib/env";
import { parseJson } from "./route";
import { readCappedText } from "./read-capped";

/** A body that counts how much of it was pulled, and would go on for `totalBytes`. */
function countingBody(totalBytes: number, chunk = 64 * 1024) {
  let sent = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent >= totalBytes) return controller.close();
      const size = Math.min(chunk, totalBytes - sent);
      sent += size;
      controller.enqueue(new Uint8Array(size).fill(0x20));
    },
  });
  return { stream, sent: () => sent };
}

const post = (body: BodyInit, headers: Record<string, string> = {}) =>
  new Request("http://localhost/api/x", {
    method: "POST",
    body,
    headers: { "content-type": "application/json", ...headers },
    duplex: "half",
  } as RequestInit);

async function errorOf(promise: Promise<unknown>) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe("JSON body limit", () => {
  const max = env().PHALANX_MAX_JSON_BYTES;

  it("defaults to 1 MiB", () => {
    if (process.env.PHALANX_MAX_JSON_BYTES) return;
    expect(max).toBe(1024 * 1024);
  });

  it("refuses a declared oversize body at once, reading none of it", async () => {
    const body = countingBody(100 * 1024 * 1024);
    const error = await errorOf(
      parseJson(post(body.stream, { "content-length": String(100 * 1024 * 1024) }), z.object({})),
    );
    expect(error.status).toBe(413);
    expect(body.sent()).toBeLessThanOrEqual(64 * 1024 * 2);
  });

  it("stops reading an undeclared (chunked) body soon after the limit", async () => {
    const body = countingBody(100 * 1024 * 1024);
    const error = await errorOf(readCappedText(post(body.stream), max));
    expect(error.code).toBe("payload_too_large");
    expect(body.sent()).toBeLessThan(max + 4 * 64 * 1024);
  });

  it("accepts a body right at the limit, and parses it", async () => {
    const json = JSON.stringify({ note: "x".repeat(max - 20) });
    const padded = json + " ".repeat(max - Buffer.byteLength(json));
    expect(await parseJson(post(padded), z.object({ note: z.string() }))).toEqual({ note: "x".repeat(max - 20) });
    expect((await errorOf(parseJson(post(padded + " "), z.object({})))).status).toBe(413);
  });

  it("malformed JSON is still a 400", async () => {
    expect((await errorOf(parseJson(post("{not json"), z.object({})))).status).toBe(400);
    expect((await errorOf(parseJson(post(""), z.object({})))).status).toBe(400);
  });

  it("counts bytes, not characters", async () => {
    const json = JSON.stringify({ note: "é".repeat(Math.ceil(max / 2)) });
    expect((await errorOf(parseJson(post(json), z.object({})))).status).toBe(413);
  });
});
