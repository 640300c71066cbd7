/** Review issues (pins with a thread): what annotators and reviewers send about them. Framework-free. */
import { z } from "zod";

const ZBody = z.string().trim().min(1, "Write a reply").max(4000);

/** An annotator answers an issue on their returned work. */
export const ZIssueReply = z.object({ pinId: z.string().min(1).max(64), body: ZBody }).strict();

/** A reviewer replies to, resolves (optionally with a last word) or reopens an earlier round's issue. */
export const ZIssueAction = z.discriminatedUnion("action", [
  z.object({ action: z.literal("reply"), pinId: z.string().min(1).max(64), body: ZBody }).strict(),
  z.object({ action: z.literal("resolve"), pinId: z.string().min(1).max(64), body: ZBody.optional() }).strict(),
  z.object({ action: z.literal("reopen"), pinId: z.string().min(1).max(64) }).strict(),
]);
export type TIssueAction = z.infer<typeof ZIssueAction>;
