/** An image's (or a rendition's) size in pixels: the one name for `{ width, height }`. */
import { z } from "zod";

export const ZImageSize = z.object({ width: z.number(), height: z.number() });
export type TImageSize = z.infer<typeof ZImageSize>;
