/**
 * The victim of lib/server/storage/crash-reconcile.test.ts: uploads images (and, every third one, a
 * signed consent form) through the real services, four at a time, until it is killed. Prints "ok N"
 * after each committed ingest. Run: node --conditions=react-server --import tsx test/crash-ingest-child.ts
 * <projectId> <subjectId> <consentTextId> <managerId> <seed>, with the database and storage in the environment.
 */
import { randomBytes } from "node:crypto";
import sharp from "sharp";

async function main() {
  const [projectId, subjectId, consentTextId, managerId, seed] = process.argv.slice(2);
  const { ingestImage } = await import("@/lib/server/images/ingest-image");
  const { recordConsent } = await import("@/lib/server/consent/record-consent");
  let n = 0;
  const one = async (i: number) => {
    const noise = await sharp({
      create: {
        width: 96,
        height: 72,
        channels: 3,
        background: { r: i % 255, g: 90, b: 160 },
        noise: { type: "gaussian", mean: 128, sigma: 40 },
      },
    })
      .jpeg({ quality: 90 })
      .toBuffer();
    await ingestImage({
      projectId: projectId!,
      subjectId: subjectId!,
      bytes: noise,
      filename: `crash-${seed}-${i}.jpg`,
      uploadedById: managerId!,
    });
    if (i % 3 === 0) {
      const form = Buffer.concat([Buffer.from("%PDF-1.4\n"), randomBytes(2048)]);
      await recordConsent(
        projectId!,
        subjectId!,
        {
          consentTextId: consentTextId!,
          scopes: ["annotation", "research"],
          biometricNoticeAcknowledged: true,
          signedAt: new Date(Date.now() - 60_000),
          jurisdiction: "EU",
          isMinor: false,
        },
        { bytes: form, filename: "form.pdf" },
        managerId!,
      );
    }
    console.log(`ok ${++n}`);
  };
  console.log("ready");
  for (let i = 0; ; i += 4) await Promise.all([0, 1, 2, 3].map((k) => one(i + k)));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
