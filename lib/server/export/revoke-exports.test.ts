import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors/app-error";
import { db } from "@/lib/server/db";
import { storage } from "@/lib/server/storage/storage";
import { purgeLeftoverFiles, withdrawConsent } from "@/lib/server/consent/withdraw-consent";
import { createAnnotators, createFixtureProject } from "@/lib/server/queue/queue-test-fixtures";
import { getSubjectDetail } from "@/lib/server/subjects/subject-detail";
import { ZExportOptions } from "@/lib/export/options";
import { consentingSubjectWithLabels, exportNow, runQueuedExport } from "./export-test-fixtures";
import { openExportDownload } from "./download-export";
import { rebuildExport } from "./rebuild-export";
import { claimExportJob, requestExport } from "./export-jobs";
import { startExportRun } from "./export-lease";
import { runExport } from "./run-export";

async function refusal(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

async function twoSubjects(policy: "purge" | "quarantine") {
  const fixture = await createFixtureProject({ withdrawalPolicy: policy });
  const [annotator] = await createAnnotators(fixture.project.id, 1);
  const leaving = await consentingSubjectWithLabels(fixture, ["annotation", "research"], [0, 1], annotator!.id);
  const staying = await consentingSubjectWithLabels(fixture, ["annotation", "research"], [2], annotator!.id);
  const reader = await db.user.create({
    data: {
      email: `reader-${leaving.id}@example.test`,
      name: "Data Recipient",
      passwordHash: "x",
      memberships: { create: { projectId: fixture.project.id, role: "manager" } },
    },
  });
  return { fixture, leaving, staying, reader };
}

describe("withdrawal reaches every export", () => {
  it("purge: revokes the export in the withdrawal, answers 410 with reason and date, deletes the archive, lists who downloaded it, and a rebuild supersedes it without the subject", async () => {
    const { fixture, leaving, staying, reader } = await twoSubjects("purge");
    const { row: old } = await exportNow(fixture.project.id, fixture.manager.id);
    (await openExportDownload(fixture.project.id, old.id, reader.id)).stream.destroy();
    (await openExportDownload(fixture.project.id, old.id, fixture.manager.id)).stream.destroy();
    const untouched = await exportNow(fixture.project.id, fixture.manager.id); // contains the subject too

    const withdrawal = await withdrawConsent(
      fixture.project.id,
      leaving.id,
      { reason: "asked by phone", channel: "phone" },
      fixture.manager.id,
    );
    expect(withdrawal.affectedExports.map((e) => e.id).sort()).toEqual([old.id, untouched.row.id].sort());
    const first = withdrawal.affectedExports.find((e) => e.id === old.id)!;
    expect(first.revokedAt).toBeInstanceOf(Date);
    expect(first.downloads.map((d) => d.email)).toEqual([reader.email, fixture.manager.email]);

    const gone = await refusal(openExportDownload(fixture.project.id, old.id, fixture.manager.id));
    expect(gone.status).toBe(410);
    expect(gone.message).toContain(`revoked on ${new Date().toISOString().slice(0, 10)}`);
    expect(gone.message).toContain(`consent of ${leaving.code} withdrawn`);
    expect(gone.fields.revokedAt).toBeTruthy();
    // Purge policy: the archive's bytes are gone from storage, and the row says when.
    const row = await db.export.findUniqueOrThrow({ where: { id: old.id } });
    expect(row.archiveKey).toBeNull();
    expect(row.archivePurgedAt).toBeInstanceOf(Date);
    await expect(storage().get(old.archiveKey!)).rejects.toMatchObject({ code: "ENOENT" });
    expect(await db.auditEvent.count({ where: { action: "export.revoked", targetId: old.id } })).toBe(1);
    expect(await db.auditEvent.count({ where: { action: "export.archive_purged", targetId: old.id } })).toBe(1);

    // The subject page lists the same recipients.
    const detail = await getSubjectDetail(fixture.project.id, leaving.id);
    expect(detail.exports.find((e) => e.id === old.id)!.downloads.map((d) => d.name)).toEqual([
      "Data Recipient",
      "Manager",
    ]);

    // Only a revoked export is rebuilt, and only once.
    const stillValid = await exportNow(fixture.project.id, fixture.manager.id);
    expect((await refusal(rebuildExport(fixture.project.id, stillValid.row.id, fixture.manager.id))).code).toBe(
      "conflict",
    );
    const job = await rebuildExport(fixture.project.id, old.id, fixture.manager.id);
    expect((await refusal(rebuildExport(fixture.project.id, old.id, fixture.manager.id))).message).toContain(job.id);
    const rebuilt = await runQueuedExport(job.id);
    expect(rebuilt.result.images).toBe(1);
    const manifest = JSON.parse(rebuilt.files.get("manifest.json")!.toString());
    expect(manifest.supersedes).toMatchObject({
      exportId: old.id,
      removedSubjects: [leaving.code],
      removedImages: [...leaving.images].sort(),
    });
    expect(manifest.supersedes.revokedReason).toContain("withdrawn");
    expect(manifest.consentRecords.map((r: { subjectCode: string }) => r.subjectCode)).toEqual([staying.code]);
    for (const image of leaving.images)
      expect([...rebuilt.files.keys()].some((name) => name.includes(image))).toBe(false);
    // Another project's manager cannot rebuild or download it: 404.
    const other = await createFixtureProject();
    expect((await refusal(rebuildExport(other.project.id, old.id, other.manager.id))).status).toBe(404);
  });

  it("quarantine: the archive is kept but never served, and deleted once an image in it is purged", async () => {
    const { fixture, leaving } = await twoSubjects("quarantine");
    const { row: old } = await exportNow(fixture.project.id, fixture.manager.id);
    await withdrawConsent(fixture.project.id, leaving.id, { reason: "asked", channel: "email" }, fixture.manager.id);
    expect((await refusal(openExportDownload(fixture.project.id, old.id, fixture.manager.id))).status).toBe(410);
    expect((await storage().get(old.archiveKey!)).length).toBeGreaterThan(0);
    await db.image.updateMany({ where: { id: { in: leaving.images } }, data: { state: "purged" } });
    await purgeLeftoverFiles();
    await expect(storage().get(old.archiveKey!)).rejects.toMatchObject({ code: "ENOENT" });
  });

  it("an export still running when the subject withdraws is revoked as it completes", async () => {
    // Quarantine keeps the files, so the run can finish (under purge it fails on the missing original).
    const { fixture, leaving } = await twoSubjects("quarantine");
    const job = await requestExport(
      fixture.project.id,
      ZExportOptions.parse({ purpose: "research" }),
      fixture.manager.id,
    );
    let withdrawn = false;
    const claim = await claimExportJob({ exportId: job.id });
    const run = startExportRun(job.id, claim!.token);
    const progress = run.progress.bind(run);
    // The withdrawal lands at the run's first progress report, while its images are being written.
    run.progress = async (share) => {
      if (!withdrawn) {
        withdrawn = true;
        await withdrawConsent(
          fixture.project.id,
          leaving.id,
          { reason: "asked", channel: "email" },
          fixture.manager.id,
        );
      }
      return progress(share);
    };
    try {
      await runExport(job.id, run);
    } finally {
      run.stop();
    }
    expect(withdrawn).toBe(true);
    expect((await refusal(openExportDownload(fixture.project.id, job.id, fixture.manager.id))).message).toContain(
      "while the export ran",
    );
  });
});
