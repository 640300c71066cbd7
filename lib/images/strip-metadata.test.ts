import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { stripMetadata } from "./strip-metadata";

const noise = (width: number, height: number) => {
  const data = Buffer.alloc(width * height * 3);
  for (let i = 0; i < data.length; i++) data[i] = (i * 2654435761) >>> 24;
  return sharp(data, { raw: { width, height, channels: 3 } });
};
const pixels = (bytes: Buffer) => sharp(bytes).raw().toBuffer();

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

  it("drops a JFIF thumbnail but keeps the JFIF header", () => {
    const thumb = Buffer.alloc(2 * 2 * 3, 0x7f);
    const app0 = Buffer.concat([Buffer.from("JFIF\0", "latin1"), Buffer.from([1, 2, 0, 0, 1, 0, 1, 2, 2]), thumb]);
    const jpeg = Buffer.concat([
      Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, app0.length + 2]),
      app0,
      Buffer.from([0xff, 0xd9]),
    ]);
    const stripped = stripMetadata(jpeg, "jpeg")!;
    expect(stripped.length).toBe(2 + 4 + 14 + 2);
    expect(stripped.subarray(6, 11).toString("latin1")).toBe("JFIF\0");
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
