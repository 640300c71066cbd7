/** The view onto the image: screen = image × scale + offset. Pure helpers for the canvas. */
export type TCamera = { x: number; y: number; scale: number };

export const MIN_SCALE = 0.02;
export const MAX_SCALE = 40;

export function fitCamera(view: { width: number; height: number }, image: { width: number; height: number }): TCamera {
  const scale = Math.min(view.width / image.width, view.height / image.height) * 0.96;
  return { scale, x: (view.width - image.width * scale) / 2, y: (view.height - image.height * scale) / 2 };
}

/** Zooms by `factor` keeping the image point under `anchor` (screen coordinates) in place. */
export function zoomAt(camera: TCamera, anchor: { x: number; y: number }, factor: number): TCamera {
  const scale = Math.min(MAX_SCALE, Math.max(MIN_SCALE, camera.scale * factor));
  const imageX = (anchor.x - camera.x) / camera.scale;
  const imageY = (anchor.y - camera.y) / camera.scale;
  return { scale, x: anchor.x - imageX * scale, y: anchor.y - imageY * scale };
}

export const toImage = (camera: TCamera, point: { x: number; y: number }) => ({
  x: (point.x - camera.x) / camera.scale,
  y: (point.y - camera.y) / camera.scale,
});
