/**
 * Removes metadata from a JPEG, PNG or WebP file WITHOUT re-encoding it, so the stored original keeps
 * exactly the pixels the contributor uploaded (a re-encode at quality 92 loses detail at the door).
 * Pure: bytes in, bytes out, no sharp.
 *
 * What stays is only what decoding the pixels needs: the coded image data, its tables, and the colour
 * description (ICC profile, PNG gAMA/cHRM/sRGB/cICP, JPEG's Adobe colour-transform flag), since dropping
 * those would change the colours every viewer shows. Everything else goes: EXIF (GPS, camera serial,
 * capture time, the embedded thumbnail — which may show the uncropped scene), XMP, IPTC/Photoshop, comments,
 * MPF secondary images, text chunks, and any bytes after the end of the image (phones append videos there).
 *
 * Returns null when the file's structure cannot be walked to its end (truncated or malformed): the caller
 * then falls back to decoding, which reports the damage.
 */
import type { TImageFormat } from "./sniff";

export function stripMetadata(bytes: Buffer, format: TImageFormat): Buffer | null {
  if (format === "jpeg") return stripJpeg(bytes);
  if (format === "png") return stripPng(bytes);
  return stripWebp(bytes);
}

const u16be = (b: Buffer, at: number) => (b[at] << 8) | b[at + 1];

const isRestart = (marker: number) => marker >= 0xd0 && marker <= 0xd7;

/** APPn/COM segments a decoder needs: JFIF (thumbnail dropped), ICC profile chunks, Adobe's colour transform. */
function keepJpegSegment(marker: number, payload: Buffer): Buffer | "keep" | null {
  if (marker === 0xfe) return null; // COM
  if (marker < 0xe0 || marker > 0xef) return "keep"; // tables, frame, scan headers, DRI, …
  const id = payload.subarray(0, 14).toString("latin1");
  if (marker === 0xe0 && id.startsWith("JFIF\0") && payload.length >= 14) {
    // Version, units and density only: a JFIF thumbnail (Xthumb × Ythumb × 3 bytes) is a second picture.
    const header = Buffer.from(payload.subarray(0, 14));
    header[12] = 0;
    header[13] = 0;
    return header;
  }
  if (marker === 0xe2 && id.startsWith("ICC_PROFILE\0")) return "keep";
  if (marker === 0xee && id.startsWith("Adobe")) return "keep";
  return null;
}

function stripJpeg(b: Buffer): Buffer | null {
  const parts: Buffer[] = [b.subarray(0, 2)];
  let at = 2;
  while (at < b.length) {
    if (b[at] !== 0xff) return null;
    while (at < b.length && b[at] === 0xff) at++; // fill bytes
    if (at >= b.length) return null;
    const marker = b[at++];
    if (marker === 0xd9) {
      parts.push(Buffer.from([0xff, 0xd9]));
      return Buffer.concat(parts); // anything after EOI is dropped
    }
    if (marker === 0x01 || isRestart(marker)) return null; // only legal inside entropy-coded data
    if (at + 2 > b.length) return null;
    const length = u16be(b, at);
    if (length < 2 || at + length > b.length) return null;
    const payload = b.subarray(at + 2, at + length);
    const kept = keepJpegSegment(marker, payload);
    if (kept === "keep") parts.push(b.subarray(at - 2, at + length));
    else if (kept) parts.push(Buffer.from([0xff, marker, (kept.length + 2) >> 8, (kept.length + 2) & 0xff]), kept);
    at += length;
    if (marker === 0xda) {
      // Entropy-coded data runs to the next marker that is neither a stuffed 0xFF00 nor a restart marker.
      const start = at;
      while (
        at + 1 < b.length &&
        !(b[at] === 0xff && b[at + 1] !== 0x00 && !isRestart(b[at + 1]) && b[at + 1] !== 0xff)
      )
        at++;
      if (at + 1 >= b.length) return null;
      parts.push(b.subarray(start, at));
    }
  }
  return null;
}

/** Chunks that decoding or colour rendering needs; everything else (text, eXIf, tIME, pHYs, APNG frames, private) goes. */
const PNG_KEPT = new Set(["IHDR", "PLTE", "IDAT", "IEND", "tRNS", "cHRM", "gAMA", "iCCP", "sBIT", "sRGB", "cICP"]);

function stripPng(b: Buffer): Buffer | null {
  const parts: Buffer[] = [b.subarray(0, 8)];
  let at = 8;
  while (at + 12 <= b.length) {
    const length = b.readUInt32BE(at);
    const type = b.subarray(at + 4, at + 8).toString("latin1");
    const end = at + 12 + length;
    if (end > b.length) return null;
    if (PNG_KEPT.has(type)) parts.push(b.subarray(at, end));
    at = end;
    if (type === "IEND") return Buffer.concat(parts);
  }
  return null;
}

/** VP8X flag bits that announce EXIF and XMP chunks. */
const WEBP_EXIF_FLAG = 0x08;
const WEBP_XMP_FLAG = 0x04;
const WEBP_DROPPED = new Set(["EXIF", "XMP "]);

function stripWebp(b: Buffer): Buffer | null {
  if (b.length < 20) return null;
  const riffEnd = 8 + b.readUInt32LE(4);
  if (riffEnd > b.length) return null;
  const chunks: Buffer[] = [];
  let at = 12;
  while (at + 8 <= riffEnd) {
    const type = b.subarray(at, at + 4).toString("latin1");
    const size = b.readUInt32LE(at + 4);
    const end = at + 8 + size + (size & 1);
    if (at + 8 + size > riffEnd) return null;
    if (type === "VP8X") {
      const header = Buffer.from(b.subarray(at, Math.min(end, riffEnd)));
      header[8] &= ~(WEBP_EXIF_FLAG | WEBP_XMP_FLAG);
      chunks.push(header);
    } else if (!WEBP_DROPPED.has(type)) chunks.push(b.subarray(at, Math.min(end, riffEnd)));
    at = end;
  }
  const body = Buffer.concat(chunks);
  const header = Buffer.alloc(12);
  header.write("RIFF", 0, "latin1");
  header.writeUInt32LE(4 + body.length, 4);
  header.write("WEBP", 8, "latin1");
  return Buffer.concat([header, body]);
}
