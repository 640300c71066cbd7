import { z } from "zod";

export const ZCreateApiToken = z.object({
  name: z.string().trim().min(1, "Name the token after the script that uses it").max(80),
  expiresInDays: z.number().int().min(1).max(3650).optional(),
});
