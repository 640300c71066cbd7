import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { describeOtherFile, detectImageFormat, sniffImage } from "@/lib/images/sniff";

const bytes = (...parts: (number[] | string | Uint8Array)[]) =>
  Buffer.concat(parts.map((part) => (typeof part === "string" ? Buffer.from(part, "latin1") : Buffer.from(part))));
const u16be = (n: number) => [(n >> 8) & 0xff, n & 0xff];
const u32be = (n: number) => [(n >>> 24) & 0xff, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff];
const u32le = (n: number) => [n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff, (n >>> 24) & 0xff];
const u24le = (n: number) => [n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff];

/** A JPEG segment: marker, big-endian length (payload + 2), payload. */
const segment = (marker: number, payload: number[] | Uint8Array) =>
  bytes([0xff, marker], u16be(payload.length + 2), payload);
const sof = (marker: number, width: number, height: number) =>
  segment(marker, [8, ...u16be(height), ...u16be(width), 3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1]);
const SOI = [0xff, 0xd8];
const APP0 = segment(0xe0, bytes("JFIF\0", [1, 1, 0, 0, 1, 0, 1, 0, 0]));

const png = (width: number, height: number) =>
  bytes(
    [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
    u32be(13),
    "IHDR",
    u32be(width),
    u32be(height),
    [8, 2, 0, 0, 0],
    [0, 0, 0, 0],
  );
const riff = (...chunks: Uint8Array[]) => {
  const body = bytes("WEBP", ...chunks);
  return bytes("RIFF", u32le(body.length), body);
};
const chunk = (id: string, payload: Uint8Array | number[]) => {
  const data = Buffer.from(payload);
  return bytes(id, u32le(data.length), data, data.length % 2 ? [0] : []);
};

describe("detectImageFormat / sniffImage: format from magic bytes only", () => {
  it.each([
    ["plain text", bytes("hello, I am not a picture\n")],
    ["SVG", bytes('<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>')],
    ["SVG without prolog", bytes('<svg xmlns="http://www.w3.org/2000/svg"/>')],
    ["GIF", bytes("GIF89a", [1, 0, 1, 0, 0, 0, 0])],
    ["HEIC", bytes([0, 0, 0, 0x18], "ftypheic", [0, 0, 0, 0], "mif1heic")],
    ["AVIF", bytes([0, 0, 0, 0x1c], "ftypavif", [0, 0, 0, 0], "avifmif1miaf")],
    ["TIFF", bytes("II*\0", [8, 0, 0, 0])],
    ["BMP", bytes("BM", [0, 0, 0, 0, 0, 0, 0, 0])],
    ["WAV (RIFF but not WebP)", bytes("RIFF", u32le(4), "WAVE")],
    ["empty", Buffer.alloc(0)],
    ["two bytes of a JPEG", Buffer.from([0xff, 0xd8])],
    ["PDF", bytes("%PDF-1.7\n")],
  ])("refuses %s", (_name, input) => {
    expect(detectImageFormat(input)).toBeNull();
    expect(sniffImage(input)).toEqual({ ok: false, reason: "unsupported" });
  });
});

describe("JPEG header", () => {
  it("reads the size from the SOF segment", () => {
    const file = bytes(
      SOI,
      APP0,
      segment(0xdb, new Uint8Array(65)),
      sof(0xc0, 4000, 3000),
      segment(0xda, [1, 1, 0, 0, 0x3f, 0]),
    );
    expect(sniffImage(file)).toEqual({
      ok: true,
      format: "jpeg",
      mimeType: "image/jpeg",
      extension: "jpg",
      width: 4000,
      height: 3000,
    });
  });

  it("skips an EXIF segment whose embedded thumbnail has its own SOF", () => {
    const thumbnail = bytes(SOI, sof(0xc0, 160, 120), [0xff, 0xd9]);
    const app1 = segment(0xe1, bytes("Exif\0\0", thumbnail));
    expect(sniffImage(bytes(SOI, app1, sof(0xc0, 30000, 20000)))).toMatchObject({
      ok: true,
      width: 30000,
      height: 20000,
    });
  });

  it("accepts progressive and other SOF kinds, and 0xFF fill bytes before a marker", () => {
    expect(sniffImage(bytes(SOI, APP0, sof(0xc2, 640, 480)))).toMatchObject({ ok: true, width: 640, height: 480 });
    expect(sniffImage(bytes(SOI, [0xff, 0xff, 0xff], sof(0xc1, 65535, 65535)))).toMatchObject({
      ok: true,
      width: 65535,
      height: 65535,
    });
    // C4 is a Huffman table, not a frame.
    expect(sniffImage(bytes(SOI, segment(0xc4, new Uint8Array(20)), sof(0xc0, 10, 20)))).toMatchObject({
      width: 10,
      height: 20,
    });
  });

  it.each([
    ["no SOF before the scan", bytes(SOI, APP0, segment(0xda, [1, 1, 0, 0, 0x3f, 0]))],
    ["cut inside a segment", bytes(SOI, APP0).subarray(0, 12)],
    ["cut inside the SOF", bytes(SOI, sof(0xc0, 4000, 3000)).subarray(0, 8)],
    ["only SOI and EOI", bytes(SOI, [0xff, 0xd9])],
    ["garbage where a marker belongs", bytes(SOI, [0xff, 0xe0, 0, 4, 0, 0], [0x12, 0x34])],
    ["height deferred to DNL", bytes(SOI, sof(0xc0, 640, 0))],
    ["a zero-length segment", bytes(SOI, [0xff, 0xe0, 0, 0])],
  ])("is a corrupt header: %s", (_name, file) => {
    expect(sniffImage(file)).toEqual({ ok: false, reason: "corrupt_header", format: "jpeg" });
  });
});

describe("PNG header", () => {
  it("reads IHDR without touching pixel data, even for a huge claimed size", () => {
    expect(sniffImage(png(30000, 30000))).toEqual({
      ok: true,
      format: "png",
      mimeType: "image/png",
      extension: "png",
      width: 30000,
      height: 30000,
    });
  });

  it.each([
    ["signature only", bytes([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])],
    ["first chunk not IHDR", bytes(png(10, 10).subarray(0, 12), "IDAT", png(10, 10).subarray(16))],
    ["zero width", png(0, 10)],
    ["width above 2^31-1", png(0x80000000, 10)],
  ])("is a corrupt header: %s", (_name, file) => {
    expect(sniffImage(file)).toEqual({ ok: false, reason: "corrupt_header", format: "png" });
  });
});

describe("WebP header", () => {
  const vp8 = (width: number, height: number) =>
    chunk("VP8 ", [
      0x30,
      0x01,
      0x00,
      0x9d,
      0x01,
      0x2a,
      ...[width & 0xff, width >> 8],
      ...[height & 0xff, height >> 8],
      0,
      0,
    ]);
  const vp8l = (width: number, height: number) => {
    const bits = (width - 1) | ((height - 1) << 14);
    return chunk("VP8L", [0x2f, ...u32le(bits >>> 0), 0, 0, 0, 0]);
  };
  const vp8x = (flags: number, width: number, height: number) =>
    chunk("VP8X", [flags, 0, 0, 0, ...u24le(width - 1), ...u24le(height - 1)]);

  it("reads lossy (VP8), lossless (VP8L) and extended (VP8X) headers", () => {
    expect(sniffImage(riff(vp8(1024, 768)))).toEqual({
      ok: true,
      format: "webp",
      mimeType: "image/webp",
      extension: "webp",
      width: 1024,
      height: 768,
      lossless: false,
      animated: false,
    });
    expect(sniffImage(riff(vp8l(16383, 2)))).toMatchObject({ ok: true, width: 16383, height: 2, lossless: true });
    expect(sniffImage(riff(vp8x(0x10, 16384 * 1000, 9000), chunk("ALPH", [0]), vp8(10, 10)))).toMatchObject({
      ok: true,
      width: 16384000,
      height: 9000,
      lossless: false,
      animated: false,
    });
    expect(sniffImage(riff(vp8x(0, 300, 200), vp8l(300, 200)))).toMatchObject({
      ok: true,
      width: 300,
      height: 200,
      lossless: true,
    });
    expect(sniffImage(riff(vp8x(0x02, 300, 200), chunk("ANIM", [0, 0, 0, 0, 0, 0])))).toMatchObject({
      ok: true,
      animated: true,
    });
  });

  it.each([
    ["RIFF header only", bytes("RIFF", u32le(4), "WEBP")],
    ["VP8 without its start code", riff(chunk("VP8 ", [0, 0, 0, 1, 2, 3, 10, 0, 10, 0]))],
    ["VP8L without its signature", riff(chunk("VP8L", [0x00, 1, 2, 3, 4, 0, 0, 0, 0]))],
    ["unknown first chunk", riff(chunk("XYZW", new Uint8Array(12)))],
  ])("is a corrupt header: %s", (_name, file) => {
    expect(sniffImage(file)).toEqual({ ok: false, reason: "corrupt_header", format: "webp" });
  });
});

describe("agrees with sharp on real encoder output", () => {
  const base = () =>
    sharp({ create: { width: 333, height: 127, channels: 4, background: { r: 200, g: 30, b: 60, alpha: 0.5 } } });
  it.each([
    ["baseline JPEG", () => base().jpeg()],
    ["progressive JPEG", () => base().jpeg({ progressive: true })],
    ["JPEG with EXIF and ICC", () => base().withMetadata({ orientation: 6 }).jpeg()],
    ["PNG", () => base().png()],
    ["lossy WebP with alpha (VP8X)", () => base().webp({ quality: 80 })],
    ["lossless WebP", () => base().flatten().webp({ lossless: true })],
    ["lossy WebP without alpha (VP8)", () => base().flatten().webp()],
  ])("%s", async (_name, make) => {
    const file = await make().toBuffer();
    const meta = await sharp(file).metadata();
    const sniffed = sniffImage(file);
    expect(sniffed).toMatchObject({
      ok: true,
      format: meta.format === "jpeg" ? "jpeg" : meta.format,
      width: meta.width,
      height: meta.height,
    });
    if (sniffed.ok && sniffed.format === "webp") expect(sniffed.lossless).toBe(_name.includes("lossless"));
  });
});

describe("describeOtherFile names what a refused file seems to be", () => {
  it.each([
    [bytes("GIF89a", [1, 0, 1, 0]), "a GIF image"],
    [bytes([0, 0, 0, 0x18], "ftypheic", [0, 0, 0, 0]), "a HEIC/HEIF image"],
    [bytes([0, 0, 0, 0x1c], "ftypavif", [0, 0, 0, 0]), "an AVIF image"],
    [bytes([0, 0, 0, 0x20], "ftypisom", [0, 0, 0, 0]), "a video or ISO media file"],
    [bytes("II*\0", [8, 0, 0, 0]), "a TIFF or camera raw file"],
    [bytes("%PDF-1.7\n"), "a PDF document"],
    [
      bytes('<?xml version="1.0"?>\n<!-- made by hand -->\n<svg xmlns="http://www.w3.org/2000/svg"/>'),
      "an SVG drawing",
    ],
    [bytes("\xEF\xBB\xBF<svg viewBox='0 0 1 1'></svg>"), "an SVG drawing"],
    [bytes("name,age\nAda,36\n"), "text"],
    [Buffer.from([0x00, 0x01, 0x02, 0x03, 0x04]), null],
  ])("%#", (input, expected) => {
    expect(describeOtherFile(input)).toBe(expected);
  });
});
