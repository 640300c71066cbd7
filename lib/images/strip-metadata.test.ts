import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { stripMetadata } from "./strip-metadata";

const noise = (width: number, height: number) => {
  const data = Buffer.alloc(width * height * 3);
  for (let i = 0; i < data.length; i++) data[i] = (i * 2654435761) >>> 24;
  return sharp(data, { raw: { width, height, channels: 3 } });
};
const pixels = (bytes: Buffer) => sharp(bytes).raw().toBuffer();
const latin1 = (text: string) => Buffer.from(text, "latin1");

/** A JPEG marker segment: FF marker, 16-bit length (itself included), payload. */
const segment = (marker: number, payload: Buffer) =>
  Buffer.concat([Buffer.from([0xff, marker, (payload.length + 2) >> 8, (payload.length + 2) & 0xff]), payload]);

/** Byte offset of the first segment with this marker (walking the header), or -1. */
function findSegment(jpeg: Buffer, marker: number): number {
  let at = 2;
  while (at + 4 <= jpeg.length && jpeg[at] === 0xff) {
    if (jpeg[at + 1] === marker) return at;
    if (jpeg[at + 1] === 0xda) return -1;
    at += 2 + jpeg.readUInt16BE(at + 2);
  }
  return -1;
}

const count = (haystack: Buffer, needle: Buffer) => {
  let n = 0;
  for (let at = haystack.indexOf(needle); at !== -1; at = haystack.indexOf(needle, at + 1)) n++;
  return n;
};

describe("stripMetadata", () => {
  it("keeps the pixels of baseline, progressive and unoptimised JPEGs, and is idempotent", async () => {
    for (const options of [{}, { progressive: true }, { quality: 70, optimiseCoding: false }]) {
      const jpeg = await noise(333, 217)
        .withExif({ IFD0: { Make: "PhoneCo" } })
        .jpeg(options)
        .toBuffer();
      const stripped = stripMetadata(jpeg, "jpeg")!;
      expect(stripped.includes("PhoneCo")).toBe(false);
      expect((await pixels(stripped)).equals(await pixels(jpeg))).toBe(true);
      expect(stripMetadata(stripped, "jpeg")!.equals(stripped)).toBe(true);
    }
  });

  it("drops a JFIF thumbnail but keeps the JFIF header", async () => {
    const jpeg = await noise(48, 32).jpeg().toBuffer();
    const thumb = Buffer.alloc(2 * 2 * 3, 0x7f);
    const app0 = Buffer.concat([latin1("JFIF\0"), Buffer.from([1, 2, 0, 0, 1, 0, 1, 2, 2]), thumb]);
    const withThumb = Buffer.concat([jpeg.subarray(0, 2), segment(0xe0, app0), jpeg.subarray(2)]);
    const stripped = stripMetadata(withThumb, "jpeg")!;
    expect(stripped.length).toBe(withThumb.length - thumb.length);
    const kept = findSegment(stripped, 0xe0);
    expect(stripped.subarray(kept + 4, kept + 9).toString("latin1")).toBe("JFIF\0");
    expect(stripped.readUInt16BE(kept + 2)).toBe(16);
    expect((await pixels(stripped)).equals(await pixels(jpeg))).toBe(true);
  });

  it("drops every JPEG segment that can carry a person's data or a second picture, keeping ICC and Adobe's flag", async () => {
    const clean = await noise(160, 120).withIccProfile("p3").jpeg({ quality: 90 }).toBuffer();
    const thumbnail = await noise(16, 12).jpeg().toBuffer(); // a picture inside EXIF, as phones embed one
    const secondImage = await noise(40, 30).jpeg().toBuffer(); // MPF's secondary image, after EOI
    const exif = Buffer.concat([latin1("Exif\0\0MM\0*\0\0\0\x08 SECRET-GPS 48N "), thumbnail]);
    const hostile = [
      segment(0xe1, exif),
      segment(0xe1, latin1('http://ns.adobe.com/xap/1.0/\0<x:xmpmeta xmlns:x="adobe:ns:meta/">SECRET-XMP</x:xmpmeta>')),
      segment(
        0xe1,
        Buffer.concat([
          latin1("http://ns.adobe.com/xmp/extension/\0"),
          latin1("0123456789ABCDEF0123456789ABCDEF"),
          Buffer.from([0, 0, 0, 32, 0, 0, 0, 0]),
          latin1("SECRET-XMP-EXTENDED"),
        ]),
      ),
      segment(0xe2, Buffer.concat([latin1("MPF\0MM\0*\0\0\0\x08 SECRET-MPF "), secondImage.subarray(0, 64)])),
      segment(0xe2, latin1("FPXR\0SECRET-FLASHPIX")),
      segment(0xed, latin1("Photoshop 3.0\x008BIM\x04\x04\0\0\0\0\0\x10SECRET-IPTC-BYLINE")),
      segment(0xe0, Buffer.concat([latin1("JFXX\0\x10"), thumbnail])),
      segment(0xfe, latin1("SECRET-COMMENT")),
      segment(0xef, latin1("SECRET-APP15")),
      segment(0xfd, latin1("SECRET-JPG13")),
      segment(0xee, latin1("Adobe\0\x64\0\0\0\0\x01SECRET-AFTER-ADOBE")),
    ];
    // Half of them before the frame, the rest after the first table, and a second EXIF APP1 there too.
    const dqt = findSegment(clean, 0xdb);
    const input = Buffer.concat([
      clean.subarray(0, 2),
      ...hostile.slice(0, 6),
      clean.subarray(2, dqt),
      ...hostile.slice(6),
      segment(0xe1, latin1("Exif\0\0II*\0\x08\0\0\0 SECRET-SECOND-EXIF")),
      clean.subarray(dqt),
      secondImage,
      latin1("SECRET-TRAILER"),
    ]);
    const stripped = stripMetadata(input, "jpeg")!;
    expect(stripped.includes("SECRET")).toBe(false);
    expect(stripped.includes("Exif")).toBe(false);
    expect(stripped.includes("MPF")).toBe(false);
    // One picture: one start of image, one end (0xFF 0xD9 cannot occur inside entropy-coded data).
    expect(count(stripped, Buffer.from([0xff, 0xd8]))).toBe(1);
    expect(count(stripped, Buffer.from([0xff, 0xd9]))).toBe(1);
    expect(stripped.subarray(-2).equals(Buffer.from([0xff, 0xd9]))).toBe(true);
    const adobe = findSegment(stripped, 0xee);
    expect(stripped.readUInt16BE(adobe + 2)).toBe(14); // "Adobe", version, flags, transform
    const meta = await sharp(stripped).metadata();
    expect(meta.icc).toBeDefined();
    expect([meta.exif, meta.xmp, meta.iptc, meta.comments]).toEqual([undefined, undefined, undefined, undefined]);
    expect((await pixels(stripped)).equals(await pixels(clean))).toBe(true);
  });

  it("refuses JPEG structures it cannot walk: lying lengths, cut segments, a second SOI, no scan at all", async () => {
    const jpeg = await noise(64, 48).jpeg().toBuffer();
    const withApp1 = (payload: Buffer, declared: number) =>
      Buffer.concat([
        jpeg.subarray(0, 2),
        Buffer.from([0xff, 0xe1, declared >> 8, declared & 0xff]),
        payload,
        jpeg.subarray(2),
      ]);
    const exif = latin1("Exif\0\0SECRET");
    expect(stripMetadata(withApp1(exif, exif.length + 2), "jpeg")).not.toBeNull();
    expect(stripMetadata(withApp1(exif, 0xfff0), "jpeg")).toBeNull(); // longer than the file
    expect(stripMetadata(withApp1(exif, 1), "jpeg")).toBeNull(); // shorter than its own length field
    expect(stripMetadata(withApp1(exif, exif.length), "jpeg")).toBeNull(); // lands inside the payload, not on a marker
    // A length that lands on an end-of-image marker hidden in a comment: no picture was walked.
    const sneaky = Buffer.concat([latin1("ab"), Buffer.from([0xff, 0xd9]), latin1("SECRET")]);
    expect(
      stripMetadata(
        Buffer.concat([
          jpeg.subarray(0, 2),
          segment(0xfe, sneaky).subarray(0, 2),
          Buffer.from([0, 4]),
          sneaky,
          jpeg.subarray(2),
        ]),
        "jpeg",
      ),
    ).toBeNull();
    // Cut inside a metadata segment, inside the entropy data, and a second SOI in the header.
    const full = withApp1(exif, exif.length + 2);
    expect(stripMetadata(full.subarray(0, 10), "jpeg")).toBeNull();
    expect(stripMetadata(full.subarray(0, full.length - 100), "jpeg")).toBeNull();
    expect(stripMetadata(Buffer.concat([jpeg.subarray(0, 2), jpeg]), "jpeg")).toBeNull();
  });

  it("keeps only the PNG chunks decoding needs: text, eXIf, tIME, private chunks and trailing data go", async () => {
    const png = await noise(50, 40).withIccProfile("p3").png().toBuffer();
    const chunk = (type: string, data: Buffer) => {
      const head = Buffer.alloc(8);
      head.writeUInt32BE(data.length, 0);
      head.write(type, 4, "latin1");
      return Buffer.concat([head, data, Buffer.alloc(4)]); // CRC not checked by the stripper
    };
    const afterIhdr = 8 + 25;
    const iend = png.length - 12;
    const input = Buffer.concat([
      png.subarray(0, afterIhdr),
      chunk("tEXt", latin1("Author\0SECRET-AUTHOR")),
      chunk("eXIf", latin1("MM\0*SECRET-EXIF")),
      chunk("tIME", Buffer.from([7, 234, 1, 2, 3, 4, 5])),
      png.subarray(afterIhdr, iend),
      chunk("iTXt", latin1("XML:com.adobe.xmp\0\0\0\0\0SECRET-XMP")),
      chunk("prVt", latin1("SECRET-PRIVATE")),
      png.subarray(iend),
      chunk("zTXt", latin1("SECRET-AFTER-IEND")),
      latin1("SECRET-TRAILER"),
    ]);
    const stripped = stripMetadata(input, "png")!;
    expect(stripped.includes("SECRET")).toBe(false);
    expect(stripped.includes("tIME")).toBe(false);
    expect(stripped.includes("iCCP")).toBe(true);
    expect((await pixels(stripped)).equals(await pixels(png))).toBe(true);
    // A chunk claiming more bytes than the file holds, and IHDR not first.
    const lying = Buffer.from(input);
    lying.writeUInt32BE(0x7fffffff, afterIhdr);
    expect(stripMetadata(lying, "png")).toBeNull();
    expect(
      stripMetadata(Buffer.concat([png.subarray(0, 8), chunk("tEXt", latin1("x\0y")), png.subarray(8)]), "png"),
    ).toBeNull();
  });

  it("keeps only the WebP chunks decoding needs: EXIF, XMP, unknown chunks and trailing data go", async () => {
    const webp = await noise(50, 40)
      .withExif({ IFD0: { Artist: "SECRET-ARTIST" } })
      .withXmp('<x:xmpmeta xmlns:x="adobe:ns:meta/">SECRET-XMP</x:xmpmeta>')
      .webp({ quality: 80 })
      .toBuffer();
    const chunk = (type: string, data: Buffer) => {
      const head = Buffer.alloc(8);
      head.write(type, 0, "latin1");
      head.writeUInt32LE(data.length, 4);
      return Buffer.concat([head, data, Buffer.alloc(data.length & 1)]);
    };
    const body = Buffer.concat([
      webp.subarray(12),
      chunk("THMB", latin1("SECRET-THUMBNAIL")),
      chunk("ODD!", latin1("SECRET")),
    ]);
    const riff = Buffer.alloc(12);
    riff.write("RIFF", 0, "latin1");
    riff.writeUInt32LE(4 + body.length, 4);
    riff.write("WEBP", 8, "latin1");
    const input = Buffer.concat([riff, body, latin1("SECRET-TRAILER")]);
    expect((await sharp(input).metadata()).exif).toBeDefined();

    const stripped = stripMetadata(input, "webp")!;
    expect(stripped.includes("SECRET")).toBe(false);
    expect(stripped.readUInt32LE(4)).toBe(stripped.length - 8);
    expect(stripped[20]! & 0x0c).toBe(0); // VP8X no longer announces EXIF or XMP
    const meta = await sharp(stripped).metadata();
    expect([meta.exif, meta.xmp]).toEqual([undefined, undefined]);
    expect((await pixels(stripped)).equals(await pixels(webp))).toBe(true);

    const lying = Buffer.from(input);
    lying.writeUInt32LE(0x7ffffff0, 12 + 4); // the first chunk claims more than the RIFF holds
    expect(stripMetadata(lying, "webp")).toBeNull();
    const twoPictures = Buffer.concat([riff, body, chunk("VP8L", latin1("SECRET"))]);
    twoPictures.writeUInt32LE(twoPictures.length - 8, 4);
    expect(stripMetadata(twoPictures, "webp")).toBeNull();
  });

  it("returns null for files cut short, so the caller decodes and reports the damage", async () => {
    const jpeg = await noise(64, 64).jpeg().toBuffer();
    const png = await noise(64, 64).png().toBuffer();
    const webp = await noise(64, 64).webp().toBuffer();
    expect(stripMetadata(jpeg.subarray(0, jpeg.length - 200), "jpeg")).toBeNull();
    expect(stripMetadata(png.subarray(0, png.length - 20), "png")).toBeNull();
    expect(stripMetadata(webp.subarray(0, webp.length - 20), "webp")).toBeNull();
  });
});
