import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomUUID } from "node:crypto";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { AppError } from "@/lib/errors/app-error";
import { db } from "@/lib/server/db";
import { ingestImage, type TIngestOptions } from "@/lib/server/images/ingest-image";
import { localStorage, type TStorage } from "@/lib/server/storage/storage";
import { s3Storage } from "@/lib/server/storage/s3-storage";
import { startS3Server, type TS3TestServer } from "@/test/s3-server";

const root = mkdtempSync(path.join(os.tmpdir(), "phalanx-ingest-test-"));
const store = localStorage(root);
afterAll(() => rmSync(root, { recursive: true, force: true }));

const filesOf = (projectId: string) => {
  const dir = path.join(root, "projects", projectId);
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(root, path.join(entry.parentPath, entry.name)))
    .sort();
};

let uploaderId: string;
beforeAll(async () => {
  const user = await db.user.create({
    data: { email: `uploader-${randomUUID()}@test.local`, name: "Uploader", passwordHash: "x" },
  });
  uploaderId = user.id;
});

/** A fresh project with one subject, made directly with Prisma. */
async function makeProject() {
  const project = await db.project.create({
    data: { name: `Ingest ${randomUUID()}`, gestures: [], handAttributes: [], imageFlags: [] },
  });
  const subject = await db.subject.create({ data: { projectId: project.id, code: "S-0001" } });
  return { projectId: project.id, subjectId: subject.id };
}

type TTarget = Awaited<ReturnType<typeof makeProject>>;
const ingest = (target: TTarget, bytes: Buffer, filename: string, options: TIngestOptions = {}) =>
  ingestImage({ ...target, bytes, filename, uploadedById: uploaderId }, { storage: store, ...options });

const noisy = (width: number, height: number) =>
  sharp({
    create: { width, height, channels: 3, background: "#000000", noise: { type: "gaussian", mean: 128, sigma: 50 } },
  });

/** Refused with this code and message, leaving no row and no file for the project. */
async function expectRefused(target: TTarget, run: Promise<unknown>, code: AppError["code"], message: RegExp) {
  const error = await run.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error, "should have been refused").toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe(code);
  expect((error as AppError).message).toMatch(message);
  expect(await db.image.count({ where: { projectId: target.projectId } })).toBe(0);
  expect(await db.auditEvent.count({ where: { projectId: target.projectId, action: "image.uploaded" } })).toBe(0);
  expect(filesOf(target.projectId)).toEqual([]);
  return error as AppError;
}

/** A valid 30000×30000 solid-colour PNG built by sharp (1-bit greyscale), cached between runs: encoding 900 Mpx takes ~15 s. */
async function solidPngBomb(): Promise<Buffer> {
  const cacheDir = path.join(os.tmpdir(), "phalanx-test-fixtures");
  const file = path.join(cacheDir, "solid-30000x30000.png");
  if (!existsSync(file)) {
    const png = await sharp({
      create: { width: 30000, height: 30000, channels: 3, background: "#ffffff" },
      limitInputPixels: false,
    })
      .toColourspace("b-w")
      .png({ palette: false, colours: 2, compressionLevel: 9 })
      .toBuffer();
    mkdirSync(cacheDir, { recursive: true });
    const temp = `${file}.${randomUUID()}.part`;
    await import("node:fs/promises").then((fs) => fs.writeFile(temp, png));
    renameSync(temp, file);
  }
  return readFileSync(file);
}

/** Whether the EXIF block (TIFF structure) has a GPS IFD pointer (tag 0x8825) in IFD0. */
function exifHasGps(exif: Buffer | undefined): boolean {
  if (!exif) return false;
  const start = exif.indexOf("II*\0") >= 0 ? exif.indexOf("II*\0") : exif.indexOf("MM\0*");
  if (start < 0) return false;
  const tiff = exif.subarray(start);
  const le = tiff[0] === 0x49;
  const u16 = (at: number) => (le ? tiff.readUInt16LE(at) : tiff.readUInt16BE(at));
  const u32 = (at: number) => (le ? tiff.readUInt32LE(at) : tiff.readUInt32BE(at));
  const ifd0 = u32(4);
  const count = u16(ifd0);
  return Array.from({ length: count }, (_, i) => u16(ifd0 + 2 + i * 12)).includes(0x8825);
}

describe("ingestImage refuses bad input clearly, storing nothing", () => {
  it("a text file named .jpg → 415", async () => {
    const target = await makeProject();
    const error = await expectRefused(
      target,
      ingest(target, Buffer.from("hello, these are my holiday notes\n"), "photo.jpg"),
      "unsupported_media_type",
      /not a JPEG, PNG or WebP image \(it looks like text\)/,
    );
    expect(error.status).toBe(415);
  });

  it("an SVG → 415, even named .png", async () => {
    const target = await makeProject();
    const svg = Buffer.from(
      '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="4000" height="3000"><rect width="100%" height="100%" fill="red"/></svg>',
    );
    await expectRefused(
      target,
      ingest(target, svg, "drawing.png"),
      "unsupported_media_type",
      /not a JPEG, PNG or WebP image \(it looks like an SVG drawing\)/,
    );
  });

  it("a GIF → 415", async () => {
    const target = await makeProject();
    const gif = await sharp({ create: { width: 20, height: 20, channels: 3, background: "#123456" } })
      .gif()
      .toBuffer();
    await expectRefused(
      target,
      ingest(target, gif, "anim.jpg"),
      "unsupported_media_type",
      /not a JPEG, PNG or WebP image \(it looks like a GIF image\)/,
    );
  });

  it("a zero-byte file → 400", async () => {
    const target = await makeProject();
    const error = await expectRefused(
      target,
      ingest(target, Buffer.alloc(0), "empty.jpg"),
      "invalid_input",
      /empty \(0 bytes\)/,
    );
    expect(error.status).toBe(400);
  });

  it("a truncated JPEG → 400 'truncated or corrupt'", async () => {
    const target = await makeProject();
    const whole = await noisy(800, 600).jpeg().toBuffer();
    const error = await expectRefused(
      target,
      ingest(target, whole.subarray(0, Math.floor(whole.length * 0.6)), "cut.jpg"),
      "invalid_input",
      /truncated or corrupt/,
    );
    expect(error.status).toBe(400);
  });

  it("a JPEG cut inside its header, and a truncated PNG → 400", async () => {
    const target = await makeProject();
    const jpeg = await noisy(64, 64).jpeg().toBuffer();
    await expectRefused(
      target,
      ingest(target, jpeg.subarray(0, 30), "header.jpg"),
      "invalid_input",
      /truncated or corrupt: its JPEG header cannot be read/,
    );
    const png = await noisy(300, 200).png().toBuffer();
    await expectRefused(
      target,
      ingest(target, png.subarray(0, png.length >> 1), "half.png"),
      "invalid_input",
      /truncated or corrupt/,
    );
  });

  it("a 30000×30000 solid-colour PNG of a few hundred KB (decompression bomb) → 413 before any decoding", async () => {
    const target = await makeProject();
    const bomb = await solidPngBomb();
    const meta = await sharp(bomb, { limitInputPixels: false }).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(["png", 30000, 30000]);
    // Really small: deflate cannot beat ~1032:1, so ~110–160 KB is the floor for 900 Mpx at 1 bit/pixel.
    expect(bomb.length).toBeLessThan(200 * 1024);
    const started = performance.now();
    const error = await expectRefused(
      target,
      ingest(target, bomb, "tiny.png"),
      "payload_too_large",
      /30000×30000 \(900 megapixels\), above the limit of 60 megapixels; .* looks like a decompression bomb/,
    );
    expect(performance.now() - started).toBeLessThan(2000);
    expect(error.status).toBe(413);
  }, 90_000);

  it("an ordinary image above the pixel limit → 413 without calling it a bomb", async () => {
    const target = await makeProject();
    const jpeg = await noisy(640, 480).jpeg().toBuffer();
    const error = await expectRefused(
      target,
      ingest(target, jpeg, "big.jpg", { maxPixels: 100_000 }),
      "payload_too_large",
      /640×480 \(0\.31 megapixels\), above the limit of 0\.1 megapixels$/,
    );
    expect(error.message).not.toMatch(/bomb/);
  });

  it("a file over the byte limit → 413", async () => {
    const target = await makeProject();
    const jpeg = await noisy(320, 240).jpeg().toBuffer();
    expect(jpeg.length).toBeGreaterThan(10_000);
    const error = await expectRefused(
      target,
      ingest(target, jpeg, "big.jpg", { maxBytes: 10_000 }),
      "payload_too_large",
      /above the upload limit of 9\.8 KiB/,
    );
    expect(error.status).toBe(413);
  });

  it("an animated WebP → 415", async () => {
    const target = await makeProject();
    const frames = await Promise.all([noisy(16, 16).png().toBuffer(), noisy(16, 16).png().toBuffer()]);
    const animated = await sharp(frames, { join: { animated: true } })
      .webp({ loop: 0 })
      .toBuffer();
    await expectRefused(target, ingest(target, animated, "moving.webp"), "unsupported_media_type", /Animated WebP/);
  });

  it("a subject of another project → 400", async () => {
    const target = await makeProject();
    const other = await makeProject();
    const jpeg = await noisy(64, 64).jpeg().toBuffer();
    await expectRefused(
      target,
      ingest({ ...target, subjectId: other.subjectId }, jpeg, "x.jpg"),
      "invalid_input",
      /Unknown subject/,
    );
  });
});

describe("ingestImage stores metadata-free originals and the right renditions", () => {
  it("strips EXIF including GPS from a JPEG and applies orientation 6 (width/height swapped)", async () => {
    const target = await makeProject();
    // 400×200 as stored: left half red, right half blue; orientation 6 means "rotate 90° clockwise to view".
    const red = await sharp({ create: { width: 200, height: 200, channels: 3, background: "#ff0000" } })
      .png()
      .toBuffer();
    const upload = await sharp({ create: { width: 400, height: 200, channels: 3, background: "#0000ff" } })
      .composite([{ input: red, left: 0, top: 0 }])
      .withMetadata({ orientation: 6 })
      .withExifMerge({
        IFD0: { Make: "PhoneCo", Model: "Pocket 12", Software: "Camera 1.0" },
        IFD3: {
          GPSLatitudeRef: "N",
          GPSLatitude: "52/1 31/1 1234/100",
          GPSLongitudeRef: "E",
          GPSLongitude: "13/1 24/1 5678/100",
        },
      })
      .jpeg({ quality: 95 })
      .toBuffer();
    const before = await sharp(upload).metadata();
    expect([before.width, before.height, before.orientation]).toEqual([400, 200, 6]);
    expect(exifHasGps(before.exif)).toBe(true);
    expect(before.exif!.includes("PhoneCo")).toBe(true);

    const image = await ingest(target, upload, "C:\\Users\\someone\\DCIM\\IMG_0001.JPG");
    expect(image).toMatchObject({ mimeType: "image/jpeg", width: 200, height: 400, originalFilename: "IMG_0001.JPG" });
    expect(image.originalKey).toBe(`projects/${target.projectId}/images/${image.sha256}/original.jpg`);

    const stored = await store.get(image.originalKey);
    expect(stored.includes("PhoneCo")).toBe(false);
    expect(stored.includes(Buffer.from("Exif\0\0"))).toBe(false);
    const after = await sharp(stored).metadata();
    expect(after.exif).toBeUndefined();
    expect(after.xmp).toBeUndefined();
    expect(after.iptc).toBeUndefined();
    expect(after.icc).toBeUndefined();
    expect(after.orientation).toBeUndefined();
    expect([after.format, after.width, after.height]).toEqual(["jpeg", 200, 400]);
    // Rotated clockwise: the stored image's left half (red) is now at the top.
    const { data, info } = await sharp(stored).raw().toBuffer({ resolveWithObject: true });
    const pixel = (x: number, y: number) =>
      Array.from(data.subarray((y * info.width + x) * info.channels, (y * info.width + x) * info.channels + 3));
    expect(pixel(100, 50)[0]).toBeGreaterThan(200);
    expect(pixel(100, 350)[2]).toBeGreaterThan(200);

    const row = await db.image.findUniqueOrThrow({ where: { id: image.id } });
    expect(row).toMatchObject({
      width: 200,
      height: 400,
      byteSize: stored.length,
      sha256: image.sha256,
      mimeType: "image/jpeg",
      state: "active",
      uploadedById: uploaderId,
    });
    const audit = await db.auditEvent.findMany({ where: { projectId: target.projectId, action: "image.uploaded" } });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actorId: uploaderId, targetType: "image", targetId: image.id });
    for (const key of [image.displayKey, image.thumbKey])
      expect((await sharp(await store.get(key)).metadata()).exif).toBeUndefined();
  });

  it("makes a display copy (long side ≤ 2560) and a thumbnail (≤ 320), both JPEG", async () => {
    const target = await makeProject();
    const bytes = await noisy(3000, 2000).jpeg({ quality: 90 }).toBuffer();
    const image = await ingestImage(
      {
        ...target,
        bytes,
        filename: "wide.jpg",
        uploadedById: uploaderId,
        metadata: { setting: "lab", lighting: "daylight" },
      },
      { storage: store },
    );
    expect(filesOf(target.projectId)).toEqual(
      ["display.jpg", "original.jpg", "thumb.jpg"].map((name) =>
        path.join("projects", target.projectId, "images", image.sha256, name),
      ),
    );
    const sizes = async (key: string) =>
      sharp(await store.get(key))
        .metadata()
        .then((m) => [m.format, m.width, m.height]);
    expect(await sizes(image.originalKey)).toEqual(["jpeg", 3000, 2000]);
    expect(await sizes(image.displayKey)).toEqual(["jpeg", 2560, 1707]);
    expect(await sizes(image.thumbKey)).toEqual(["jpeg", 320, 213]);
    expect((await db.image.findUniqueOrThrow({ where: { id: image.id } })).metadata).toEqual({
      setting: "lab",
      lighting: "daylight",
    });
  });

  it("never enlarges a small image; portrait thumbnails are limited by their height", async () => {
    const target = await makeProject();
    const image = await ingest(target, await noisy(240, 180).jpeg().toBuffer(), "small.jpg");
    const sizes = async (key: string) =>
      sharp(await store.get(key))
        .metadata()
        .then((m) => [m.width, m.height]);
    expect(await sizes(image.displayKey)).toEqual([240, 180]);
    expect(await sizes(image.thumbKey)).toEqual([240, 180]);
    const tall = await ingest(target, await noisy(600, 1200).jpeg().toBuffer(), "tall.jpg");
    expect(await sizes(tall.thumbKey)).toEqual([160, 320]);
  });

  it("accepts a PNG (with alpha) and keeps it PNG; renditions are JPEG on white", async () => {
    const target = await makeProject();
    const png = await sharp({
      create: { width: 500, height: 300, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } },
    })
      .png()
      .toBuffer();
    const image = await ingest(target, png, "cutout.png");
    expect(image).toMatchObject({ mimeType: "image/png", width: 500, height: 300 });
    expect(image.originalKey.endsWith("/original.png")).toBe(true);
    const original = await sharp(await store.get(image.originalKey)).metadata();
    expect([original.format, original.hasAlpha]).toEqual(["png", true]);
    const { data } = await sharp(await store.get(image.thumbKey))
      .raw()
      .toBuffer({ resolveWithObject: true });
    expect(Array.from(data.subarray(0, 3))).toEqual([255, 255, 255]);
  });

  it("accepts lossy and lossless WebP and keeps each kind", async () => {
    const target = await makeProject();
    const lossy = await ingest(target, await noisy(400, 300).webp({ quality: 80 }).toBuffer(), "a.webp");
    const lossless = await ingest(target, await noisy(64, 48).webp({ lossless: true }).toBuffer(), "b.webp");
    expect(lossy).toMatchObject({ mimeType: "image/webp", width: 400, height: 300 });
    expect(lossy.originalKey.endsWith("/original.webp")).toBe(true);
    expect(lossless).toMatchObject({ mimeType: "image/webp", width: 64, height: 48 });
    const { sniffImage } = await import("@/lib/images/sniff");
    expect(sniffImage(await store.get(lossy.originalKey))).toMatchObject({ ok: true, format: "webp", lossless: false });
    expect(sniffImage(await store.get(lossless.originalKey))).toMatchObject({
      ok: true,
      format: "webp",
      lossless: true,
    });
    expect((await sharp(await store.get(lossless.displayKey)).metadata()).format).toBe("jpeg");
  });
  it("converts CMYK JPEGs to sRGB; keeps greyscale JPEGs grey and byte-exact in their image data", async () => {
    const target = await makeProject();
    const cmyk = await sharp({ create: { width: 64, height: 48, channels: 3, background: "#336699" } })
      .toColourspace("cmyk")
      .jpeg()
      .toBuffer();
    const grey = await noisy(64, 48).toColourspace("b-w").jpeg().toBuffer();
    const storedCmyk = await sharp(await store.get((await ingest(target, cmyk, "cmyk.jpg")).originalKey)).metadata();
    expect([storedCmyk.format, storedCmyk.space, storedCmyk.width, storedCmyk.height]).toEqual([
      "jpeg",
      "srgb",
      64,
      48,
    ]);
    const storedGrey = await store.get((await ingest(target, grey, "grey.jpg")).originalKey);
    expect((await sharp(storedGrey).metadata()).space).toBe("b-w");
    expect(await samePixels(storedGrey, grey)).toBe(true);
  });

  it("stores an upright JPEG without re-encoding: the same pixels, no EXIF/GPS/XMP/comment/trailer, the ICC profile kept", async () => {
    const target = await makeProject();
    const plain = await noisy(640, 480).jpeg({ quality: 90 }).toBuffer();
    const tagged = await sharp(plain)
      .withIccProfile("p3")
      .withExif({
        IFD0: { Make: "PhoneCo", Model: "Pocket 12" },
        IFD3: { GPSLatitudeRef: "N", GPSLatitude: "52/1 31/1 1234/100" },
      })
      .withXmp(
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/" dc:creator="Secret Person"/></rdf:RDF></x:xmpmeta>',
      )
      .jpeg({ quality: 90 })
      .toBuffer();
    const comment = Buffer.from("Shot at 12 Example Street");
    const withComment = Buffer.concat([
      tagged.subarray(0, 2),
      Buffer.from([0xff, 0xfe, 0, comment.length + 2]),
      comment,
      tagged.subarray(2),
      Buffer.from("TRAILING-VIDEO-BYTES"),
    ]);
    const before = await sharp(withComment).metadata();
    expect([exifHasGps(before.exif), before.xmp !== undefined, before.icc !== undefined]).toEqual([true, true, true]);

    const image = await ingest(target, withComment, "phone.jpg");
    const stored = await store.get(image.originalKey);
    for (const secret of [
      "PhoneCo",
      "Secret Person",
      "Example Street",
      "TRAILING",
      "Exif\0\0",
      "http://ns.adobe.com/xap",
    ]) {
      expect(stored.includes(secret), secret).toBe(false);
    }
    const after = await sharp(stored).metadata();
    expect([after.exif, after.xmp, after.iptc, after.comments]).toEqual([undefined, undefined, undefined, undefined]);
    expect(after.icc).toBeDefined();
    expect(await samePixels(stored, withComment)).toBe(true);
    expect(stored.length).toBeLessThan(withComment.length);
  });

  it("stores PNG and WebP without re-encoding: same pixels, text/EXIF/XMP chunks gone", async () => {
    const target = await makeProject();
    const png = await noisy(120, 80)
      .png()
      .withExif({ IFD0: { Make: "PhoneCo" } })
      .toBuffer();
    const text = Buffer.from("Comment\0Taken at home of Secret Person");
    const textChunk = Buffer.alloc(12 + text.length);
    textChunk.writeUInt32BE(text.length, 0);
    textChunk.write("tEXt", 4, "latin1");
    text.copy(textChunk, 8);
    textChunk.writeUInt32BE(crc32(textChunk.subarray(4, 8 + text.length)), 8 + text.length);
    const pngWithText = Buffer.concat([png.subarray(0, 33), textChunk, png.subarray(33)]);
    const webp = await noisy(120, 80)
      .webp({ quality: 80 })
      .withExif({ IFD0: { Make: "PhoneCo" } })
      .withXmp("<x:xmpmeta>Secret Person</x:xmpmeta>")
      .toBuffer();
    for (const [bytes, name] of [
      [pngWithText, "a.png"],
      [webp, "b.webp"],
    ] as const) {
      expect(bytes.includes("PhoneCo"), name).toBe(true);
      const stored = await store.get((await ingest(target, bytes, name)).originalKey);
      expect(stored.includes("PhoneCo"), name).toBe(false);
      expect(stored.includes("Secret Person"), name).toBe(false);
      const after = await sharp(stored).metadata();
      expect([after.exif, after.xmp], name).toEqual([undefined, undefined]);
      expect(await samePixels(stored, bytes), name).toBe(true);
    }
  });
});

async function samePixels(a: Buffer, b: Buffer): Promise<boolean> {
  const [x, y] = await Promise.all([a, b].map((bytes) => sharp(bytes).raw().toBuffer()));
  return x.equals(y);
}

function crc32(bytes: Buffer): number {
  let crc = ~0;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return ~crc >>> 0;
}

describe("ingestImage refuses duplicates, also under a race", () => {
  it("a second upload of the same file → 409 naming the first image", async () => {
    const target = await makeProject();
    const jpeg = await noisy(320, 240).jpeg().toBuffer();
    const first = await ingest(target, jpeg, "one.jpg");
    const filesBefore = filesOf(target.projectId);
    const error = await ingest(target, jpeg, "again.jpg").catch((e: unknown) => e as AppError);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({
      code: "conflict",
      message: expect.stringContaining(`duplicate of image ${first.id}`),
    });
    expect(await db.image.count({ where: { projectId: target.projectId } })).toBe(1);
    expect(filesOf(target.projectId)).toEqual(filesBefore);
    // The same photo in another project is not a duplicate.
    await expect(ingest(await makeProject(), jpeg, "one.jpg")).resolves.toMatchObject({ sha256: first.sha256 });
  });

  it("the same photo re-saved with different metadata is a duplicate too", async () => {
    const target = await makeProject();
    const pixels = await noisy(300, 200).jpeg({ quality: 95 }).toBuffer();
    const first = await ingest(target, pixels, "plain.jpg");
    // Splice an EXIF block with GPS into the very same JPEG (pixels untouched), as a phone app re-tagging it would.
    const tagged = await sharp(pixels)
      .withExif({ IFD0: { Make: "Other" }, IFD3: { GPSLatitudeRef: "S", GPSLatitude: "1/1 2/1 3/1" } })
      .toBuffer();
    const exif = (await sharp(tagged).metadata()).exif!;
    const app1 = Buffer.concat([Buffer.from([0xff, 0xe1, (exif.length + 2) >> 8, (exif.length + 2) & 0xff]), exif]);
    const withGps = Buffer.concat([pixels.subarray(0, 2), app1, pixels.subarray(2)]);
    expect(exifHasGps((await sharp(withGps).metadata()).exif)).toBe(true);
    await expect(ingest(target, withGps, "gps.jpg")).rejects.toMatchObject({
      code: "conflict",
      message: expect.stringContaining(`duplicate of image ${first.id}`),
    });
  });

  it("concurrent uploads of the same file in one process: one image, one conflict naming it", async () => {
    const target = await makeProject();
    const jpeg = await noisy(640, 480).jpeg().toBuffer();
    const results = await Promise.allSettled([
      ingest(target, jpeg, "a.jpg"),
      ingest(target, jpeg, "b.jpg"),
      ingest(target, jpeg, "c.jpg"),
    ]);
    const winners = results.filter((r) => r.status === "fulfilled");
    expect(winners).toHaveLength(1);
    const id = (winners[0] as PromiseFulfilledResult<{ id: string }>).value.id;
    for (const result of results.filter((r) => r.status === "rejected")) {
      expect((result as PromiseRejectedResult).reason).toMatchObject({
        code: "conflict",
        message: expect.stringContaining(`duplicate of image ${id}`),
      });
    }
    expect(await db.image.count({ where: { projectId: target.projectId } })).toBe(1);
    expect(filesOf(target.projectId)).toHaveLength(3);
  });

  it("two app instances racing past the duplicate check: the unique index decides, the winner keeps its files", async () => {
    // Two separate module instances = two processes' in-memory locks; a barrier holds both at their
    // first write until both have passed the duplicate check, so both really reach the INSERT.
    vi.resetModules();
    const instanceA = await import("@/lib/server/images/ingest-image");
    vi.resetModules();
    const instanceB = await import("@/lib/server/images/ingest-image");
    expect(instanceA.ingestImage).not.toBe(instanceB.ingestImage);

    let arrived = 0;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const barrier: TStorage = {
      ...store,
      async put(key, bytes) {
        if (key.endsWith("/original.jpg") && ++arrived === 2) release();
        if (key.endsWith("/original.jpg")) await gate;
        return store.put(key, bytes);
      },
    };

    const target = await makeProject();
    const jpeg = await noisy(640, 480).jpeg().toBuffer();
    const input = { ...target, bytes: jpeg, filename: "race.jpg", uploadedById: uploaderId };
    const results = await Promise.allSettled([
      instanceA.ingestImage(input, { storage: barrier }),
      instanceB.ingestImage(input, { storage: barrier }),
    ]);
    expect(arrived).toBe(2);
    const winners = results.filter((r) => r.status === "fulfilled");
    expect(winners).toHaveLength(1);
    const winner = (
      winners[0] as PromiseFulfilledResult<{ id: string; originalKey: string; displayKey: string; thumbKey: string }>
    ).value;
    const loser = (results.find((r) => r.status === "rejected") as PromiseRejectedResult).reason;
    expect(loser).toMatchObject({
      code: "conflict",
      message: expect.stringContaining(`duplicate of image ${winner.id}`),
    });
    expect(await db.image.count({ where: { projectId: target.projectId } })).toBe(1);
    // The loser's cleanup did not delete the winner's (identical) files.
    for (const key of [winner.originalKey, winner.displayKey, winner.thumbKey])
      expect((await store.get(key)).length).toBeGreaterThan(0);
  });
});

describe("ingestImage leaves no orphan files when a step after the first write fails", () => {
  it("the database refuses the row (unknown uploader): files removed, no row", async () => {
    const target = await makeProject();
    const jpeg = await noisy(320, 240).jpeg().toBuffer();
    const error = await ingestImage(
      { ...target, bytes: jpeg, filename: "x.jpg", uploadedById: "no-such-user" },
      { storage: store },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(AppError);
    expect(await db.image.count({ where: { projectId: target.projectId } })).toBe(0);
    expect(filesOf(target.projectId)).toEqual([]);
    // And the same file goes in fine afterwards.
    await expect(ingest(target, jpeg, "x.jpg")).resolves.toMatchObject({ width: 320 });
  });

  it("a storage write fails after others succeeded: every written file removed, no row", async () => {
    const target = await makeProject();
    const flaky: TStorage = {
      ...store,
      async put(key, bytes) {
        if (key.endsWith("/thumb.jpg")) throw new Error("disk full");
        return store.put(key, bytes);
      },
    };
    const jpeg = await noisy(320, 240).jpeg().toBuffer();
    await expect(ingest(target, jpeg, "x.jpg", { storage: flaky })).rejects.toThrow("disk full");
    expect(await db.image.count({ where: { projectId: target.projectId } })).toBe(0);
    expect(filesOf(target.projectId)).toEqual([]);
  });
});

describe("ingestImage on S3 storage (s3rver)", () => {
  let s3: TS3TestServer;
  let s3Store: TStorage;
  beforeAll(async () => {
    s3 = await startS3Server();
    s3Store = s3Storage({
      bucket: s3.bucket,
      endpoint: s3.endpoint,
      region: s3.region,
      accessKeyId: s3.accessKeyId,
      secretAccessKey: s3.secretAccessKey,
      forcePathStyle: true,
    });
  });
  afterAll(async () => s3?.stop());

  it("stores the three renditions as objects, refuses bad input and leaves no orphan objects", async () => {
    const target = await makeProject();
    const image = await ingest(target, await noisy(1200, 900).jpeg().toBuffer(), "s3.jpg", { storage: s3Store });
    expect(await s3.listKeys(`projects/${target.projectId}/`)).toEqual(
      [image.displayKey, image.originalKey, image.thumbKey].sort(),
    );
    expect((await sharp(await s3Store.get(image.displayKey)).metadata()).width).toBe(1200);

    const whole = await noisy(800, 600).jpeg().toBuffer();
    await expect(
      ingest(target, whole.subarray(0, whole.length >> 1), "cut.jpg", { storage: s3Store }),
    ).rejects.toMatchObject({ code: "invalid_input" });
    await expect(
      ingestImage({ ...target, bytes: whole, filename: "x.jpg", uploadedById: "no-such-user" }, { storage: s3Store }),
    ).rejects.toThrow();
    expect(await s3.listKeys(`projects/${target.projectId}/`)).toHaveLength(3);
    expect(await db.image.count({ where: { projectId: target.projectId } })).toBe(1);
  });
});

describe("ingestImage on real hand photographs (../shared/hands-sample)", () => {
  const sampleDir = path.resolve(process.cwd(), "../shared/hands-sample");
  const available = existsSync(sampleDir);
  if (!available) console.warn(`[ingest-image.test] skipping the real-photo test: ${sampleDir} does not exist`);

  it.skipIf(!available)("ingests all 12 JPEGs and stores them", async () => {
    const target = await makeProject();
    const files = readdirSync(sampleDir)
      .filter((name) => /\.jpe?g$/i.test(name))
      .sort();
    expect(files).toHaveLength(12);
    for (const name of files) {
      const bytes = readFileSync(path.join(sampleDir, name));
      const meta = await sharp(bytes).metadata();
      const image = await ingest(target, bytes, name);
      expect(image).toMatchObject({ mimeType: "image/jpeg", originalFilename: name });
      const swapped = (meta.orientation ?? 1) >= 5;
      expect([image.width, image.height]).toEqual(swapped ? [meta.height, meta.width] : [meta.width, meta.height]);
      expect((await sharp(await store.get(image.originalKey)).metadata()).exif).toBeUndefined();
    }
    expect(await db.image.count({ where: { projectId: target.projectId } })).toBe(12);
    expect(filesOf(target.projectId)).toHaveLength(36);
  });
});
