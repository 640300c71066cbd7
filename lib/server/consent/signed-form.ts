import "server-only";
import { createHash } from "node:crypto";
import { AppError } from "@/lib/errors/app-error";

export const MAX_SIGNED_FORM_BYTES = 20 * 1024 * 1024;

const FORMATS = [
  { mimeType: "application/pdf", extension: "pdf", magic: [0x25, 0x50, 0x44, 0x46, 0x2d] }, // %PDF-
  { mimeType: "image/jpeg", extension: "jpg", magic: [0xff, 0xd8, 0xff] },
  { mimeType: "image/png", extension: "png", magic: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
] as const;

/** The signed consent form: a PDF, JPEG or PNG recognised by its bytes, never by its name. */
export function sniffSignedForm(bytes: Buffer) {
  if (bytes.length === 0)
    throw new AppError("invalid_input", "The signed form is an empty file", { form: "Empty file" });
  if (bytes.length > MAX_SIGNED_FORM_BYTES)
    throw new AppError("payload_too_large", "The signed form is larger than 20 MB", { form: "Too large" });
  const format = FORMATS.find(({ magic }) => magic.every((byte, index) => bytes[index] === byte));
  if (!format)
    throw new AppError("unsupported_media_type", "The signed form must be a PDF, JPEG or PNG file", {
      form: "Not a PDF, JPEG or PNG",
    });
  return {
    mimeType: format.mimeType,
    extension: format.extension,
    sha256: createHash("sha256").update(bytes).digest("hex"),
  };
}
