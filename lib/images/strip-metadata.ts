/**
 * Removes metadata from a JPEG, PNG or WebP file WITHOUT re-encoding it, so the stored original keeps
 * exactly the pixels the contributor uploaded (a re-encode at quality 92 loses detail at the door).
 * Pure: bytes in, bytes out, no sharp.
 *
 * What stays is only what decoding the pixels needs: the coded image data, its tables, and the colour
 * description (ICC profile, PNG gAMA/cHRM/sRGB/cICP, JPEG's Adobe colour-transform flag), since dropping
 * those would change the colours every viewer shows. Everything else goes: EXIF (GPS, camera serial,
 * capture time, the embedded thumbnail — which may show the uncropped scene), XMP, IPTC/Photoshop, comments,
 * MPF secondary images, text chunks, unknown segments and chunks (whatever is not needed is dropped, not
 * whatever is known to be harmful), and any bytes after the end of the image (phones append videos there).
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

/**
 * Marker segments the decoder needs, kept whole: frame headers (SOF0–3, 5–7, 9–11, 13–15), Huffman
 * and arithmetic tables (DHT, DAC), quantisation tables (DQT), restart interval (DRI), scan header
 * (SOS), number of lines (DNL). Anything else not named in `keepJpegApp` is dropped, known or not.
 */
const JPEG_KEPT = new Set([
  0xc0, 0xc1, 0xc2, 0xc3, 0xc4, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcc, 0xcd, 0xce, 0xcf, 0xda, 0xdb, 0xdc, 0xdd,
]);

/**
 * APPn segments the picture depends on, reduced to what it depends on: JFIF's header without its
 * thumbnail, ICC profile chunks, Adobe's colour-transform flag (12 bytes; anything after is dropped).
 * Everything else goes: EXIF (APP1, also a second one, with its thumbnail), XMP and extended XMP
 * (APP1), MPF and FlashPix (APP2, their secondary images), Photoshop/IPTC (APP13), JFXX thumbnails, …
 */
function keepJpegApp(marker: number, payload: Buffer): Buffer | null {
  const id = payload.subarray(0, 14).toString("latin1");
  if (marker === 0xe0 && id.startsWith("JFIF\0") && payload.length >= 14) {
    // Version, units and density only: a JFIF thumbnail (Xthumb × Ythumb × 3 bytes) is a second picture.
    const header = Buffer.from(payload.subarray(0, 14));
    header[12] = 0;
    header[13] = 0;
    return header;
  }
  if (marker === 0xe2 && id.startsWith("ICC_PROFILE\0") && payload.length > 14) return payload;
  if (marker === 0xee && id.startsWith("Adobe") && payload.length >= 12) return payload.subarray(0, 12);
  return null;
}

function stripJpeg(b: Buffer): Buffer | null {
  const parts: Buffer[] = [b.subarray(0, 2)];
  let at = 2;
  let scans = 0;
  while (at < b.length) {
    if (b[at] !== 0xff) return null;
    while (at < b.length && b[at] === 0xff) at++; // fill bytes
    if (at >= b.length) return null;
    const marker = b[at++];
    if (marker === 0xd9) {
      if (scans === 0) return null; // no picture at all
      parts.push(Buffer.from([0xff, 0xd9]));
      return Buffer.concat(parts); // anything after EOI (MPF's second images, appended videos) is dropped
    }
    // Markers without a length: only legal inside entropy-coded data, or a second start of image.
    if (marker === 0x00 || marker === 0x01 || marker === 0xd8 || isRestart(marker)) return null;
    if (at + 2 > b.length) return null;
    const length = u16be(b, at);
    if (length < 2 || at + length > b.length) return null;
    const payload = b.subarray(at + 2, at + length);
    if (JPEG_KEPT.has(marker)) parts.push(b.subarray(at - 2, at + length));
    else if (marker >= 0xe0 && marker <= 0xef) {
      const kept = keepJpegApp(marker, payload);
      if (kept) parts.push(Buffer.from([0xff, marker, (kept.length + 2) >> 8, (kept.length + 2) & 0xff]), kept);
    }
    at += length;
    if (marker === 0xda) {
      scans++;
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
  if (b.subarray(12, 16).toString("latin1") !== "IHDR") return null;
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
/** Chunks of a still WebP that decoding or colour needs; EXIF, XMP and any unknown chunk go. */
const WEBP_KEPT = new Set(["VP8X", "VP8 ", "VP8L", "ALPH", "ICCP"]);

function stripWebp(b: Buffer): Buffer | null {
  if (b.length < 20) return null;
  const riffEnd = 8 + b.readUInt32LE(4);
  if (riffEnd > b.length) return null;
  const chunks: Buffer[] = [];
  let images = 0;
  let at = 12;
  while (at + 8 <= riffEnd) {
    const type = b.subarray(at, at + 4).toString("latin1");
    const size = b.readUInt32LE(at + 4);
    if (at + 8 + size > riffEnd) return null;
    if (WEBP_KEPT.has(type)) {
      const chunk = Buffer.concat([b.subarray(at, at + 8 + size), Buffer.alloc(size & 1)]); // zero pad to even
      if (type === "VP8X") chunk[8] &= ~(WEBP_EXIF_FLAG | WEBP_XMP_FLAG);
      if (type === "VP8 " || type === "VP8L") images++;
      chunks.push(chunk);
    }
    at += 8 + size + (size & 1);
  }
  if (images !== 1) return null;
  const body = Buffer.concat(chunks);
  const header = Buffer.alloc(12);
  header.write("RIFF", 0, "latin1");
  header.writeUInt32LE(4 + body.length, 4);
  header.write("WEBP", 8, "latin1");
  return Buffer.concat([header, body]);
}
