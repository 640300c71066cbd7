/**
 * `npm run export -- --project ID [--format coco[,yolo][,hf]] [--purpose research] [--out FILE.zip]`:
 * the same export as the web page and the API, run in this process, written to a local file.
 * `npm run export -- --rebuild EXPORT_ID [--out FILE.zip]` rebuilds a revoked export with the same
 * options minus the withdrawn subjects (its manifest names the export it supersedes).
 */
import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { ZExportOptions } from "@/lib/export/options";

async function main() {
  const { values } = parseArgs({
    options: {
      project: { type: "string" },
      format: { type: "string", default: "coco" },
      purpose: { type: "string", default: "research" },
      out: { type: "string" },
      rebuild: { type: "string" },
    },
  });
  if (!values.project && !values.rebuild)
    throw new Error("Name the project: --project ID (or the revoked export to rebuild: --rebuild EXPORT_ID)");
  const options = ZExportOptions.safeParse({ purpose: values.purpose, formats: values.format!.split(",") });
  if (!options.success)
    throw new Error(
      `Invalid options: ${options.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`,
    );
  const { db } = await import("@/lib/server/db");
  const { requestExport, claimExportJob, executeExportJob } = await import("@/lib/server/export/export-jobs");
  const { storage } = await import("@/lib/server/storage/storage");
  let job: { id: string };
  if (values.rebuild) {
    const { rebuildExport } = await import("@/lib/server/export/rebuild-export");
    const old = await db.export.findUnique({ where: { id: values.rebuild }, select: { projectId: true } });
    if (!old) throw new Error(`No export ${values.rebuild}`);
    job = await rebuildExport(old.projectId, values.rebuild, null);
    console.log(`Rebuilding ${values.rebuild} as ${job.id}`);
  } else {
    if (!(await db.project.findUnique({ where: { id: values.project! }, select: { id: true } })))
      throw new Error(`No project ${values.project}`);
    job = await requestExport(values.project!, options.data, null);
  }
  // Claimed by this process like any instance would (lease, heartbeat), so a running server leaves it alone.
  const claim = await claimExportJob({ exportId: job.id });
  if (!claim)
    throw new Error(`Export ${job.id} was claimed by a running server; follow it on the project's export page`);
  const started = Date.now();
  const result = await executeExportJob(claim);
  const row = await db.export.findUniqueOrThrow({ where: { id: job.id } });
  if (!result || !row.archiveKey) throw new Error(`Export failed: ${row.error ?? "unknown error"}`);
  const out = values.out ?? `phalanx-export-${job.id}.zip`;
  writeFileSync(out, await storage().get(row.archiveKey));
  console.log(
    `Exported ${result.images} images, ${result.hands} hands to ${out} in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  for (const left of result.leftOut) console.log(`  left out: ${left.count} (${left.reason})`);
  await db.$disconnect();
}

main().catch((error) => {
  console.error(`Export failed: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
});
