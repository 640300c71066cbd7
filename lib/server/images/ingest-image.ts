import "server-only";
import { createHash } from "node:crypto";
import sharp, { type Sharp } from "sharp";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors/app-error";
import { describeOtherFile, sniffImage, type TImageFormat } from "@/lib/images/sniff";
import { stripMetadata } from "@/lib/images/strip-metadata";
import { recordAuditEvent } from "@/lib/server/audit/record-audit-event";
import { db as defaultDb } from "@/lib/server/db";
import type { Prisma, TDb } from "@/lib/server/db/open";
import { storage as defaultStorage, type TStorage } from "@/lib/server/storage/storage";
import { recordPendingObjects, settlePendingObjects } from "@/lib/server/storage/pending-objects";

/** Long side of the display copy (what the annotation canvas loads) and of the thumbnail, in pixels. */
export const DISPLAY_LONG_SIDE = 2560;
export const THUMB_LONG_SIDE = 320;

/**
 * Below this many bytes per declared pixel, an over-limit image is called a likely decompression
 * bomb in the message: real photos carry ≳ 0.05 byte/pixel even as smooth JPEGs; a solid-colour
 * 30000×30000 PNG carries ~0.0002.
 */
const BOMB_BYTES_PER_PIXEL = 0.01;

export type TIngestInput = {
  projectId: string;
  subjectId: string;
  /** The uploaded file, whole. The route should cap the request body too, before buffering it. */
  bytes: Buffer;
  /** As the uploader named it; kept for display only, never trusted for the type. */
  filename: string;
  uploadedById: string | null;
  /** Image-level metadata: setting, lighting, background, camera. */
  metadata?: Prisma.InputJsonObject;
};

export type TIngestOptions = {
  /** Largest accepted file; default PHALANX_MAX_UPLOAD_BYTES (60 MiB). */
  maxBytes?: number;
  /** Largest accepted width × height; default PHALANX_MAX_PIXELS (60 million). */
  maxPixels?: number;
  /** Default: the app's storage() (local folder or S3, per PHALANX_STORAGE). */
  storage?: TStorage;
  /** Default: the app's Prisma client. */
  db?: TDb;
};

export type TIngestedImage = {
  id: string;
  projectId: string;
  subjectId: string;
  sha256: string;
  byteSize: number;
  mimeType: string;
  /** Of the stored original, after EXIF orientation was applied. */
  width: number;
  height: number;
  originalFilename: string;
  originalKey: string;
  displayKey: string;
  thumbKey: string;
  createdAt: Date;
};

/**
 * The one way an image enters a project. Cheapest checks first, so bad input is refused before
 * anything expensive runs, and nothing is stored for it:
 *
 * 1. empty file → 400; larger than maxBytes → 413;
 * 2. type from magic bytes only (JPEG, PNG, WebP) → else 415, whatever the name says;
 * 3. width × height read from the header without decoding → above maxPixels → 413
 *    (a tiny file with a huge size is named a decompression bomb);
 * 4. decode with sharp, `limitInputPixels` as a second guard and `failOn: "truncated"` → 400 for a
 *    truncated or corrupt file;
 * 5. the original WITHOUT metadata (see `encodeRenditions`): when its pixels need no change, the upload
 *    with EXIF (GPS, camera serial, capture time, thumbnail), XMP, IPTC, comments and trailing data cut
 *    out of the file, not re-encoded; when EXIF orientation demands it (keypoints are stored in the
 *    stored image's pixel frame, so every viewer must see the same orientation) or the image is CMYK,
 *    decoded, turned upright, colour-managed to sRGB and re-encoded without metadata;
 * 6. sha256 of the stored bytes; the same image already in the project → 409 naming it;
 * 7. display copy (JPEG, long side ≤ 2560) and thumbnail (JPEG, long side ≤ 320), never enlarged;
 * 8. the three keys are recorded as pending objects, the files go to
 *    `projects/<projectId>/images/<sha256>/`, then the Image row and its `image.uploaded` audit event
 *    are created (and the pending rows settled) in one transaction: a crash at any point leaves either
 *    the row or pending rows the reconciler (lib/server/storage/reconcile.ts) deletes with their files.
 *    Any failure after the first write removes the files again, unless another upload of the same bytes
 *    now owns them.
 *
 * The original keeps its format and, where no rotation is needed, its exact bytes of image data: a
 * lossless PNG or WebP stays lossless and a JPEG is not re-encoded (generation loss at the door would
 * degrade the dataset's master copy). The colour description (ICC profile, PNG colour chunks) is kept,
 * since dropping it would change the colours every viewer shows. Re-encoding, where needed, uses JPEG
 * quality 92 with libjpeg-turbo and is deterministic for a given sharp version; stripping is
 * deterministic too, so uploading the same file twice, or the same photo with different metadata, is a
 * duplicate.
 */
export async function ingestImage(input: TIngestInput, options: TIngestOptions = {}): Promise<TIngestedImage> {
  const maxBytes = options.maxBytes ?? env().PHALANX_MAX_UPLOAD_BYTES;
  const maxPixels = options.maxPixels ?? env().PHALANX_MAX_PIXELS;
  const db = options.db ?? defaultDb;
  const store = options.storage ?? defaultStorage();
  const { bytes, projectId, subjectId } = input;

  if (bytes.length === 0) throw new AppError("invalid_input", "The file is empty (0 bytes)", { file: "Empty file" });
  if (bytes.length > maxBytes) {
    throw new AppError(
      "payload_too_large",
      `The file is ${formatBytes(bytes.length)}, above the upload limit of ${formatBytes(maxBytes)}`,
      { file: "File too large" },
    );
  }

  const sniffed = sniffImage(bytes);
  if (!sniffed.ok && sniffed.reason === "unsupported") {
    const other = describeOtherFile(bytes);
    throw new AppError(
      "unsupported_media_type",
      `The file is not a JPEG, PNG or WebP image${other ? ` (it looks like ${other})` : ""}`,
      { file: "Not a JPEG, PNG or WebP image" },
    );
  }
  if (!sniffed.ok) throw truncatedOrCorrupt(`its ${sniffed.format.toUpperCase()} header cannot be read`);
  if (sniffed.animated)
    throw new AppError("unsupported_media_type", "Animated WebP images are not supported", { file: "Animated image" });

  const pixels = sniffed.width * sniffed.height;
  if (pixels > maxPixels) {
    const bomb = bytes.length / pixels < BOMB_BYTES_PER_PIXEL;
    throw new AppError(
      "payload_too_large",
      `The image is ${sniffed.width}×${sniffed.height} (${formatMegapixels(pixels)}), above the limit of ${formatMegapixels(maxPixels)}` +
        (bomb ? `; a ${formatBytes(bytes.length)} file claiming that many pixels looks like a decompression bomb` : ""),
      { file: bomb ? "Decompression bomb" : "Image too large" },
    );
  }

  const subject = await db.subject.findFirst({
    where: { id: subjectId, projectId },
    select: { id: true, project: { select: { agreementShare: true } } },
  });
  if (!subject)
    throw new AppError("invalid_input", "Unknown subject for this project", { subjectId: "Unknown subject" });

  const encoded = await encodeRenditions(bytes, sniffed.format, sniffed.lossless === true, maxPixels);
  const sha256 = createHash("sha256").update(encoded.original).digest("hex");
  const base = `projects/${projectId}/images/${sha256}`;
  const keys = {
    original: `${base}/original.${sniffed.extension}`,
    display: `${base}/display.jpg`,
    thumb: `${base}/thumb.jpg`,
  };
  const originalFilename = cleanFilename(input.filename);

  // One ingest per (project, content) at a time in this process; across processes the unique index decides.
  return withLock(`${projectId}/${sha256}`, async () => {
    const existing = () =>
      db.image.findUnique({ where: { projectId_sha256: { projectId, sha256 } }, select: { id: true } });
    const before = await existing();
    if (before) throw duplicateOf(before.id);

    try {
      // Announced before written: a crash from here on leaves rows the reconciler can act on.
      await recordPendingObjects(Object.values(keys), "image", db);
      // All settled before going on, so a cleanup never races a write still in flight.
      const writes = await Promise.allSettled([
        store.put(keys.original, encoded.original),
        store.put(keys.display, encoded.display),
        store.put(keys.thumb, encoded.thumb),
      ]);
      const failed = writes.find((write) => write.status === "rejected");
      if (failed) throw failed.reason;

      const image = await db.$transaction(async (tx) => {
        const created = await tx.image.create({
          data: {
            projectId,
            subjectId,
            originalKey: keys.original,
            displayKey: keys.display,
            thumbKey: keys.thumb,
            sha256,
            byteSize: encoded.original.length,
            mimeType: sniffed.mimeType,
            width: encoded.width,
            height: encoded.height,
            originalFilename,
            metadata: input.metadata ?? {},
            uploadedById: input.uploadedById,
            // The project's agreement share of images gets a second, independent labelling.
            doubleAnnotate: Math.random() < subject.project.agreementShare,
          },
        });
        await recordAuditEvent(
          {
            actorId: input.uploadedById,
            projectId,
            action: "image.uploaded",
            targetType: "image",
            targetId: created.id,
            details: {
              subjectId,
              sha256,
              mimeType: sniffed.mimeType,
              byteSize: encoded.original.length,
              uploadedBytes: bytes.length,
              width: encoded.width,
              height: encoded.height,
            },
          },
          tx,
        );
        await settlePendingObjects(Object.values(keys), tx);
        return created;
      });
      return {
        id: image.id,
        projectId: image.projectId,
        subjectId: image.subjectId,
        sha256: image.sha256,
        byteSize: image.byteSize,
        mimeType: image.mimeType,
        width: image.width,
        height: image.height,
        originalFilename: image.originalFilename,
        originalKey: keys.original,
        displayKey: keys.display,
        thumbKey: keys.thumb,
        createdAt: image.createdAt,
      };
    } catch (error) {
      // Same bytes committed meanwhile by another process: its row owns these (identical) files.
      const owner = await existing().catch(() => null);
      if (!owner) await removeAll(store, Object.values(keys));
      await settlePendingObjects(Object.values(keys), db).catch(() => {}); // else the reconciler settles it
      if (isUniqueViolation(error))
        throw owner
          ? duplicateOf(owner.id)
          : new AppError("conflict", "This image was just uploaded to the project by someone else");
      throw error;
    }
  });
}

type TEncoded = { original: Buffer; display: Buffer; thumb: Buffer; width: number; height: number };

/** Colour spaces a stored original may keep as uploaded; others (CMYK, YCCK) are converted to sRGB. */
const KEPT_SPACES = new Set(["srgb", "b-w", "rgb16", "grey16"]);

/**
 * The stored original and its two renditions, from ONE decode of the upload.
 *
 * Where the pixels need no change (no EXIF rotation, an RGB or grey image), the original is the upload
 * with its metadata cut out of the file structure (`stripMetadata`): no re-encode, so it decodes to
 * exactly the uploaded pixels. Otherwise (orientation 2–8, CMYK) it is decoded, turned and re-encoded
 * without metadata, as before. The display copy and the thumbnail come from one decode either way —
 * resized on load where the shrink allows it (JPEG decodes at 1/2, 1/4, 1/8 directly) — and the
 * thumbnail is derived from the display copy's pixels, not from another decode of the file.
 */
export async function encodeRenditions(
  bytes: Buffer,
  format: TImageFormat,
  lossless: boolean,
  maxPixels: number,
): Promise<TEncoded> {
  const open = (input: Buffer) => sharp(input, { failOn: "truncated", limitInputPixels: maxPixels });
  try {
    const header = await open(bytes).metadata();
    const upright = (header.orientation ?? 1) === 1;
    const stripped = upright && KEPT_SPACES.has(header.space ?? "") ? stripMetadata(bytes, format) : null;

    if (stripped) {
      const display = await renditionPixels(open(stripped), DISPLAY_LONG_SIDE);
      const [displayJpeg, thumb] = await Promise.all([
        encodeRendition(display, null, 85),
        encodeRendition(display, THUMB_LONG_SIDE, 80),
      ]);
      return { original: stripped, display: displayJpeg, thumb, width: header.width!, height: header.height! };
    }

    const full = await open(bytes).rotate().toColourspace("srgb").raw().toBuffer({ resolveWithObject: true });
    const raw = { raw: { width: full.info.width, height: full.info.height, channels: full.info.channels } };
    const display = await renditionPixels(sharp(full.data, raw), DISPLAY_LONG_SIDE);
    const [original, displayJpeg, thumb] = await Promise.all([
      encodeOriginal(sharp(full.data, raw), format, lossless).toBuffer(),
      encodeRendition(display, null, 85),
      encodeRendition(display, THUMB_LONG_SIDE, 80),
    ]);
    return { original, display: displayJpeg, thumb, width: full.info.width, height: full.info.height };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (/pixel limit/i.test(message)) {
      throw new AppError(
        "payload_too_large",
        `The image has more pixels than the limit of ${formatMegapixels(maxPixels)}`,
        { file: "Image too large" },
      );
    }
    throw truncatedOrCorrupt("it cannot be decoded");
  }
}

type TPixels = { data: Buffer; info: { width: number; height: number; channels: 1 | 2 | 3 | 4 } };

/** Decoded sRGB pixels no larger than longSide, never enlarged; JPEG has no alpha, so transparency becomes white. */
async function renditionPixels(pipeline: Sharp, longSide: number): Promise<TPixels> {
  const { data, info } = await pipeline
    .resize({ width: longSide, height: longSide, fit: "inside", withoutEnlargement: true })
    .flatten({ background: "#ffffff" })
    .toColourspace("srgb")
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data, info: { width: info.width, height: info.height, channels: info.channels } };
}

function encodeRendition(pixels: TPixels, longSide: number | null, quality: number): Promise<Buffer> {
  const pipeline = sharp(pixels.data, { raw: pixels.info });
  const sized = longSide
    ? pipeline.resize({ width: longSide, height: longSide, fit: "inside", withoutEnlargement: true })
    : pipeline;
  return sized.jpeg({ quality, mozjpeg: false }).toBuffer();
}

function encodeOriginal(pipeline: Sharp, format: TImageFormat, lossless: boolean): Sharp {
  if (format === "jpeg") return pipeline.jpeg({ quality: 92, mozjpeg: false });
  if (format === "png") return pipeline.png({ compressionLevel: 6 });
  return lossless ? pipeline.webp({ lossless: true }) : pipeline.webp({ quality: 92 });
}

const inFlight = new Map<string, Promise<unknown>>();
async function withLock<T>(key: string, run: () => Promise<T>): Promise<T> {
  const previous = inFlight.get(key) ?? Promise.resolve();
  const current = previous.catch(() => undefined).then(run);
  inFlight.set(key, current);
  try {
    return await current;
  } finally {
    if (inFlight.get(key) === current) inFlight.delete(key);
  }
}

async function removeAll(store: TStorage, keys: string[]): Promise<void> {
  const results = await Promise.allSettled(keys.map((key) => store.remove(key)));
  for (const [index, result] of results.entries()) {
    if (result.status === "rejected")
      console.error(`[ingest] could not remove ${keys[index]} after a failed upload:`, result.reason);
  }
}

function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: unknown }).code === "P2002";
}

const duplicateOf = (imageId: string) =>
  new AppError("conflict", `This image is already in the project: duplicate of image ${imageId}`, {
    file: `Duplicate of image ${imageId}`,
  });

const truncatedOrCorrupt = (detail: string) =>
  new AppError("invalid_input", `The file is truncated or corrupt: ${detail}`, { file: "Truncated or corrupt file" });

/** The name only (no client path), without control characters, at most 255 characters. */
export function cleanFilename(filename: string): string {
  const name = filename.split(/[\\/]/).pop() ?? "";
  // eslint-disable-next-line no-control-regex
  return Array.from(name.replace(/[\u0000-\u001f\u007f]/g, "").trim())
    .slice(0, 255)
    .join("");
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
}

function formatMegapixels(pixels: number): string {
  const mp = pixels / 1e6;
  return `${mp >= 10 ? Math.round(mp) : Number(mp.toPrecision(2))} megapixels`;
}
