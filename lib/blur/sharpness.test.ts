import { describe, expect, it } from "vitest";
import { changedOutside, laplacianDrop, laplacianVariance, laplacianVarianceInMask, toGrey } from "./sharpness";

const W = 40;
const H = 30;
const everywhere = [{ cx: W / 2, cy: H / 2, rx: 1000, ry: 1000, angle: 0 }];

function image(f: (x: number, y: number) => number): Uint8Array {
  const g = new Uint8Array(W * H);
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) g[y * W + x] = f(x, y);
  return g;
}

describe("toGrey", () => {
  it("uses Rec. 601 weights and skips alpha", () => {
    const rgba = new Uint8Array([255, 0, 0, 9, 0, 255, 0, 9, 0, 0, 255, 9, 10, 10, 10, 9]);
    expect([...toGrey(rgba, 4, 1, 4)]).toEqual([76, 150, 29, 10]);
    expect([...toGrey(new Uint8Array([7, 8]), 2, 1, 1)]).toEqual([7, 8]);
  });
});

describe("laplacianVariance", () => {
  it("is 0 on flat and linear images", () => {
    expect(
      laplacianVariance(
        image(() => 90),
        W,
        H,
        everywhere,
      ).variance,
    ).toBe(0);
    expect(
      laplacianVariance(
        image((x, y) => 3 * x + 2 * y),
        W,
        H,
        everywhere,
      ).variance,
    ).toBe(0);
  });

  it("is 1020² on a one-pixel checkerboard of 0 and 255", () => {
    const stats = laplacianVariance(
      image((x, y) => ((x + y) % 2 ? 255 : 0)),
      W,
      H,
      everywhere,
    );
    expect(stats.variance).toBeCloseTo(1020 * 1020, 6);
    expect(stats.count).toBe((W - 2) * (H - 2)); // never the image border
  });

  it("counts only pixels whose whole 3×3 neighbourhood is inside the regions", () => {
    const mask = new Uint8Array(W * H);
    for (let y = 5; y < 10; y++) for (let x = 5; x < 12; x++) mask[y * W + x] = 1; // 7×5 block
    const stats = laplacianVarianceInMask(
      image((x, y) => ((x + y) % 2 ? 255 : 0)),
      W,
      H,
      mask,
    );
    expect(stats.count).toBe(5 * 3);
  });

  it("ignores what lies outside the regions", () => {
    const region = [{ cx: 10, cy: 15, rx: 6, ry: 6, angle: 0 }];
    const flatInside = image((x) => (x > 20 ? (x * 37) % 256 : 100));
    expect(laplacianVariance(flatInside, W, H, region).variance).toBe(0);
  });

  it("measures the drop after smoothing a sinusoid", () => {
    const stripes = image((x) => Math.round(128 + 100 * Math.sin((2 * Math.PI * x) / 4)));
    const smooth = image((x) => Math.round(128 + 1 * Math.sin((2 * Math.PI * x) / 4)));
    const drop = laplacianDrop(
      laplacianVariance(stripes, W, H, everywhere),
      laplacianVariance(smooth, W, H, everywhere),
    );
    expect(drop).toBeGreaterThan(0.99);
    expect(laplacianDrop({ variance: 0, count: 0 }, { variance: 0, count: 0 })).toBe(0);
  });
});

describe("changedOutside", () => {
  it("counts differing pixels outside the regions only", () => {
    const a = new Uint8Array(W * H * 3).fill(50);
    const b = Uint8Array.from(a);
    const region = [{ cx: 10.5, cy: 10.5, rx: 3, ry: 3, angle: 0 }];
    b[(10 * W + 10) * 3] = 51; // inside
    expect(changedOutside(a, b, W, H, 3, region)).toBe(0);
    b[(25 * W + 30) * 3 + 2] = 0; // outside
    b[(0 * W + 0) * 3 + 1] = 0; // outside
    expect(changedOutside(a, b, W, H, 3, region)).toBe(2);
    expect(() => changedOutside(a, b.subarray(3), W, H, 3, region)).toThrow(RangeError);
  });
});
