/** The coverage query of the page and the API: which hands count, and which pair the two-way table shows. */
import { z } from "zod";
import { DIMENSION_IDS, type TDimensionId } from "./dimensions";

const ZDimension = z.enum(DIMENSION_IDS as [TDimensionId, ...TDimensionId[]]);

export const ZCoverageQuery = z
  .object({
    scope: z.enum(["accepted", "labelled"]).default("accepted"),
    from: z.coerce.date().optional(),
    to: z.coerce.date().optional(),
    x: ZDimension.default("skinToneBand"),
    y: ZDimension.default("view"),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: "“From” must not be after “to”", path: ["from"] });
export type TCoverageQuery = z.infer<typeof ZCoverageQuery>;
