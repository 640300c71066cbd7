/**
 * What an uploaded file really is, from its bytes alone (never its name or the browser's type),
 * and how large it claims to be, read from the format's header WITHOUT decoding any pixels, so
 * size limits hold before a decoder allocates anything. Pure: no I/O, no sharp.
 *
 * Accepted: JPEG, PNG, WebP. Everything else (text, SVG, GIF, HEIC/AVIF, TIFF, BMP, …) is
 * `unsupported`, whatever the file is called.
 */

export type TImageFormat = "jpeg" | "png" | "webp";

export const IMAGE_FORMATS: Record<TImageFormat, { mimeType: string; extension: string }> = {
  jpeg: { mimeType: "image/jpeg", extension: "jpg" },
  png: { mimeType: "image/png", extension: "png" },
  webp: { mimeType: "image/webp", extension: "webp" },
};

export type TSniffResult =
  | {
      ok: true;
      format: TImageFormat;
      mimeType: string;
      extension: string;
      /** Pixel size as the header states it (before any EXIF orientation). */
      width: number;
      height: number;
      /** WebP only: lossless (VP8L) bitstream. */
      lossless?: boolean;
      /** WebP only: the animation flag of the extended header is set. */
      animated?: boolean;
    }
  /** Not a JPEG, PNG or WebP file. */
  | { ok: false; reason: "unsupported" }
  /** Looks like one of the formats, but its header is cut short or malformed (no usable size). */
  | { ok: false; reason: "corrupt_header"; format: TImageFormat };

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

const startsWith = (bytes: Uint8Array, prefix: readonly number[], at = 0) =>
  bytes.length >= at + prefix.length && prefix.every((value, i) => bytes[at + i] === value);

const ascii = (bytes: Uint8Array, at: number, length: number) =>
  bytes.length >= at + length ? String.fromCharCode(...bytes.subarray(at, at + length)) : "";

const u16be = (b: Uint8Array, at: number) => (b[at] << 8) | b[at + 1];
const u32be = (b: Uint8Array, at: number) => ((b[at] << 24) | (b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3]) >>> 0;
const u24le = (b: Uint8Array, at: number) => b[at] | (b[at + 1] << 8) | (b[at + 2] << 16);
const u32le = (b: Uint8Array, at: number) => (b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24)) >>> 0;

/** The format from magic bytes only, or null. */
export function detectImageFormat(bytes: Uint8Array): TImageFormat | null {
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return "jpeg";
  if (startsWith(bytes, PNG_SIGNATURE)) return "png";
  if (ascii(bytes, 0, 4) === "RIFF" && ascii(bytes, 8, 4) === "WEBP") return "webp";
  return null;
}

/** Detects the format and reads the declared pixel size from the header. Never decodes pixels. */
export function sniffImage(bytes: Uint8Array): TSniffResult {
  const format = detectImageFormat(bytes);
  if (!format) return { ok: false, reason: "unsupported" };
  const header = format === "jpeg" ? jpegSize(bytes) : format === "png" ? pngSize(bytes) : webpHeader(bytes);
  if (!header || header.width < 1 || header.height < 1) return { ok: false, reason: "corrupt_header", format };
  return { ok: true, format, ...IMAGE_FORMATS[format], ...header };
}

/** PNG: the first chunk must be IHDR (13 bytes: width, height as big-endian uint32, …). */
function pngSize(b: Uint8Array): { width: number; height: number } | null {
  if (b.length < 24 || u32be(b, 8) !== 13 || ascii(b, 12, 4) !== "IHDR") return null;
  const width = u32be(b, 16);
  const height = u32be(b, 20);
  // The PNG spec caps both at 2^31 - 1.
  if (width > 0x7fffffff || height > 0x7fffffff) return null;
  return { width, height };
}

/** Start-of-frame markers: C0–CF except C4 (DHT), C8 (JPG extension) and CC (DAC). */
const isStartOfFrame = (marker: number) =>
  marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;

/**
 * JPEG: walk the marker segments after SOI until the first SOF, whose payload is
 * precision (1), height (2), width (2). APPn segments (EXIF with its embedded thumbnail, ICC, …)
 * are skipped by their length, so a thumbnail's SOF never counts. A SOS before any SOF, EOI, or a
 * segment running past the end means the header is unusable. A height of 0 (size deferred to a
 * DNL marker after the scan) is treated as unusable too: limits must be known before decoding.
 */
function jpegSize(b: Uint8Array): { width: number; height: number } | null {
  let at = 2;
  while (at < b.length) {
    if (b[at] !== 0xff) return null;
    // Any number of 0xFF fill bytes may precede a marker.
    while (at < b.length && b[at] === 0xff) at++;
    if (at >= b.length) return null;
    const marker = b[at++];
    // Markers without a length field.
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd8)) continue;
    if (marker === 0xd9 || marker === 0xda) return null;
    if (at + 2 > b.length) return null;
    const length = u16be(b, at);
    if (length < 2 || at + length > b.length) return null;
    if (isStartOfFrame(marker)) {
      if (length < 7) return null;
      return { height: u16be(b, at + 3), width: u16be(b, at + 5) };
    }
    at += length;
  }
  return null;
}

/**
 * WebP (RIFF container): the first chunk is one of
 * - `VP8X` (extended): flags, then canvas width−1 and height−1 as 24-bit little-endian at 24 and 27;
 * - `VP8 ` (lossy): frame tag (3), start code 9D 01 2A, then 14-bit width and height (LE, 2 scale bits);
 * - `VP8L` (lossless): signature 0x2F, then 14 bits width−1 and 14 bits height−1, LSB first.
 */
function webpHeader(b: Uint8Array): { width: number; height: number; lossless: boolean; animated: boolean } | null {
  if (b.length < 30) return null;
  const chunk = ascii(b, 12, 4);
  if (chunk === "VP8X") {
    const flags = b[20];
    return {
      width: u24le(b, 24) + 1,
      height: u24le(b, 27) + 1,
      lossless: webpHasLosslessChunk(b),
      animated: (flags & 0x02) !== 0,
    };
  }
  if (chunk === "VP8 ") {
    if (!(b[23] === 0x9d && b[24] === 0x01 && b[25] === 0x2a)) return null;
    return {
      width: (b[26] | (b[27] << 8)) & 0x3fff,
      height: (b[28] | (b[29] << 8)) & 0x3fff,
      lossless: false,
      animated: false,
    };
  }
  if (chunk === "VP8L") {
    if (b[20] !== 0x2f) return null;
    const bits = u32le(b, 21);
    return { width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1, lossless: true, animated: false };
  }
  return null;
}

/** In an extended WebP, whether the image data chunk is VP8L (lossless) rather than VP8 (lossy). */
function webpHasLosslessChunk(b: Uint8Array): boolean {
  let at = 12;
  while (at + 8 <= b.length) {
    const id = ascii(b, at, 4);
    if (id === "VP8L") return true;
    if (id === "VP8 ") return false;
    const size = u32le(b, at + 4);
    at += 8 + size + (size & 1);
  }
  return false;
}

/**
 * For a refused file, a plain-words guess of what it is instead ("a GIF image", "an SVG drawing",
 * "text"), so the error can say so. Only a hint for the message; never used to accept anything.
 */
export function describeOtherFile(bytes: Uint8Array): string | null {
  const head = ascii(bytes, 0, Math.min(bytes.length, 512));
  if (head.startsWith("GIF87a") || head.startsWith("GIF89a")) return "a GIF image";
  if (ascii(bytes, 4, 4) === "ftyp") {
    const brand = ascii(bytes, 8, 4);
    if (/^(avif|avis)$/.test(brand)) return "an AVIF image";
    if (/^(heic|heix|hevc|hevx|heim|heis|mif1|msf1)$/.test(brand)) return "a HEIC/HEIF image";
    return "a video or ISO media file";
  }
  if (head.startsWith("II*\0") || head.startsWith("MM\0*")) return "a TIFF or camera raw file";
  if (head.startsWith("BM")) return "a BMP image";
  if (head.startsWith("%PDF")) return "a PDF document";
  const text = head.replace(/^\uFEFF|^\xEF\xBB\xBF/, "").trimStart();
  if (/^(<\?xml[^>]*>\s*)?(<!--[\s\S]*?-->\s*)*(<!DOCTYPE svg[^>]*>\s*)?<svg[\s>]/i.test(text)) return "an SVG drawing";
  // Control characters other than tab, newline and carriage return mean binary.
  // eslint-disable-next-line no-control-regex
  if (bytes.length > 0 && !/[\x00-\x08\x0e-\x1a]/.test(head)) return "text";
  return null;
}
