-- CreateTable
CREATE TABLE "ExportShard" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "exportId" TEXT NOT NULL,
    "runToken" TEXT NOT NULL,
    "index" INTEGER NOT NULL,
    "items" JSONB NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'queued',
    "leaseToken" TEXT,
    "claimedBy" TEXT,
    "heartbeatAt" DATETIME,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "outputKey" TEXT,
    "error" TEXT,
    "finishedAt" DATETIME,
    CONSTRAINT "ExportShard_exportId_fkey" FOREIGN KEY ("exportId") REFERENCES "Export" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Image" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "projectId" TEXT NOT NULL,
    "subjectId" TEXT NOT NULL,
    "originalKey" TEXT,
    "displayKey" TEXT,
    "thumbKey" TEXT,
    "exportCacheKey" TEXT,
    "sha256" TEXT NOT NULL,
    "byteSize" INTEGER NOT NULL,
    "mimeType" TEXT NOT NULL,
    "width" INTEGER NOT NULL,
    "height" INTEGER NOT NULL,
    "originalFilename" TEXT NOT NULL DEFAULT '',
    "metadata" JSONB NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'active',
    "doubleAnnotate" BOOLEAN NOT NULL DEFAULT false,
    "preAnnotation" JSONB,
    "purgedAt" DATETIME,
    "uploadedById" TEXT,
    "assignedToId" TEXT,
    "assignedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "heldSlots" INTEGER NOT NULL DEFAULT 0,
    "slotCap" INTEGER NOT NULL DEFAULT 1,
    "queueHeld" INTEGER,
    "labelStatus" TEXT NOT NULL DEFAULT 'unlabelled',
    "doublyLabelled" BOOLEAN NOT NULL DEFAULT false,
    CONSTRAINT "Image_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Image_subjectId_fkey" FOREIGN KEY ("subjectId") REFERENCES "Subject" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Image_uploadedById_fkey" FOREIGN KEY ("uploadedById") REFERENCES "User" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "Image_assignedToId_fkey" FOREIGN KEY ("assignedToId") REFERENCES "User" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_Image" ("assignedAt", "assignedToId", "byteSize", "createdAt", "displayKey", "doubleAnnotate", "height", "heldSlots", "id", "metadata", "mimeType", "originalFilename", "originalKey", "preAnnotation", "projectId", "purgedAt", "queueHeld", "sha256", "state", "subjectId", "thumbKey", "uploadedById", "width") SELECT "assignedAt", "assignedToId", "byteSize", "createdAt", "displayKey", "doubleAnnotate", "height", "heldSlots", "id", "metadata", "mimeType", "originalFilename", "originalKey", "preAnnotation", "projectId", "purgedAt", "queueHeld", "sha256", "state", "subjectId", "thumbKey", "uploadedById", "width" FROM "Image";
DROP TABLE "Image";
ALTER TABLE "new_Image" RENAME TO "Image";
CREATE INDEX "Image_subjectId_idx" ON "Image"("subjectId");
CREATE INDEX "Image_projectId_state_createdAt_idx" ON "Image"("projectId", "state", "createdAt");
CREATE INDEX "Image_projectId_createdAt_id_idx" ON "Image"("projectId", "createdAt", "id");
CREATE INDEX "Image_subjectId_createdAt_id_idx" ON "Image"("subjectId", "createdAt", "id");
CREATE INDEX "Image_subjectId_state_idx" ON "Image"("subjectId", "state");
CREATE INDEX "Image_projectId_assignedToId_state_createdAt_idx" ON "Image"("projectId", "assignedToId", "state", "createdAt");
CREATE INDEX "Image_projectId_state_queueHeld_idx" ON "Image"("projectId", "state", "queueHeld");
CREATE INDEX "Image_projectId_labelStatus_createdAt_id_idx" ON "Image"("projectId", "labelStatus", "createdAt", "id");
CREATE INDEX "Image_projectId_doublyLabelled_state_createdAt_id_idx" ON "Image"("projectId", "doublyLabelled", "state", "createdAt", "id");
CREATE UNIQUE INDEX "Image_projectId_sha256_key" ON "Image"("projectId", "sha256");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "ExportShard_status_exportId_idx" ON "ExportShard"("status", "exportId");

-- CreateIndex
CREATE UNIQUE INDEX "ExportShard_exportId_runToken_index_key" ON "ExportShard"("exportId", "runToken", "index");

-- ===== Hand-written (issue 12, claims at scale): triggers, the queue's partial index and the backfill. =====
-- Image."heldSlots" counts the image's slot-holding annotations (lib/annotate/status.ts SLOT_HOLDING_STATUSES:
-- draft, submitted, accepted, rejected) and Image."slotCap" the annotations it takes (the project's
-- annotationsPerImage, at least two when doubleAnnotate). Triggers keep both in the writing transaction, so the
-- claim finds the next image through one partial index instead of counting annotations image after image.
-- A later migration that redefines "Annotation", "Image" or "Project" (SQLite copies the table) must re-create
-- these triggers: lib/server/db/slot-triggers.test.ts fails when one is missing.
CREATE TRIGGER "Annotation_heldSlots_insert" AFTER INSERT ON "Annotation"
WHEN NEW."status" IN ('draft', 'submitted', 'accepted', 'rejected')
BEGIN
  UPDATE "Image" SET "heldSlots" = "heldSlots" + 1 WHERE "id" = NEW."imageId";
END;
CREATE TRIGGER "Annotation_heldSlots_delete" AFTER DELETE ON "Annotation"
WHEN OLD."status" IN ('draft', 'submitted', 'accepted', 'rejected')
BEGIN
  UPDATE "Image" SET "heldSlots" = "heldSlots" - 1 WHERE "id" = OLD."imageId";
END;
CREATE TRIGGER "Annotation_heldSlots_update" AFTER UPDATE OF "status", "imageId" ON "Annotation"
BEGIN
  UPDATE "Image" SET "heldSlots" = "heldSlots" - 1
  WHERE "id" = OLD."imageId" AND OLD."status" IN ('draft', 'submitted', 'accepted', 'rejected');
  UPDATE "Image" SET "heldSlots" = "heldSlots" + 1
  WHERE "id" = NEW."imageId" AND NEW."status" IN ('draft', 'submitted', 'accepted', 'rejected');
END;
CREATE TRIGGER "Image_slotCap_insert" AFTER INSERT ON "Image"
BEGIN
  UPDATE "Image" SET "slotCap" = (
    SELECT MAX(p."annotationsPerImage", CASE WHEN NEW."doubleAnnotate" THEN 2 ELSE 1 END)
    FROM "Project" p WHERE p."id" = NEW."projectId")
  WHERE "id" = NEW."id";
END;
CREATE TRIGGER "Image_slotCap_update" AFTER UPDATE OF "doubleAnnotate", "projectId" ON "Image"
BEGIN
  UPDATE "Image" SET "slotCap" = (
    SELECT MAX(p."annotationsPerImage", CASE WHEN NEW."doubleAnnotate" THEN 2 ELSE 1 END)
    FROM "Project" p WHERE p."id" = NEW."projectId")
  WHERE "id" = NEW."id";
END;
CREATE TRIGGER "Project_slotCap_update" AFTER UPDATE OF "annotationsPerImage" ON "Project"
WHEN OLD."annotationsPerImage" IS NOT NEW."annotationsPerImage"
BEGIN
  UPDATE "Image" SET "slotCap" = MAX(NEW."annotationsPerImage", CASE WHEN "doubleAnnotate" THEN 2 ELSE 1 END)
  WHERE "projectId" = NEW."id";
END;
-- The work queue: active images with a free slot, oldest first (lib/server/queue/claim-next-image.ts).
CREATE INDEX "Image_queue_idx" ON "Image"("projectId", "createdAt", "id") WHERE "state" = 'active' AND "heldSlots" < "slotCap";
-- Data: both columns as the triggers would have kept them.
UPDATE "Image" SET
  "heldSlots" = (SELECT COUNT(*) FROM "Annotation" a WHERE a."imageId" = "Image"."id"
                 AND a."status" IN ('draft', 'submitted', 'accepted', 'rejected')),
  "slotCap" = (SELECT MAX(p."annotationsPerImage", CASE WHEN "Image"."doubleAnnotate" THEN 2 ELSE 1 END)
               FROM "Project" p WHERE p."id" = "Image"."projectId");

-- DATA (issue 18): backfill Image.labelStatus from each image's annotations, as
-- lib/server/stats/annotation-rollup.ts keeps it (LABEL_STATUS_PRECEDENCE in lib/images/gallery-filters.ts):
-- the furthest of its slot-holding labellings (accepted, submitted, rejected, draft), else 'unlabelled'.
UPDATE "Image" SET "labelStatus" = (
  SELECT a."status" FROM "Annotation" a
  WHERE a."imageId" = "Image"."id" AND a."status" IN ('accepted', 'submitted', 'rejected', 'draft')
  ORDER BY CASE a."status" WHEN 'accepted' THEN 0 WHEN 'submitted' THEN 1 WHEN 'rejected' THEN 2 ELSE 3 END
  LIMIT 1)
WHERE EXISTS (
  SELECT 1 FROM "Annotation" a
  WHERE a."imageId" = "Image"."id" AND a."status" IN ('accepted', 'submitted', 'rejected', 'draft'));
-- DATA (issue 18): backfill Image.doublyLabelled: two or more independent labellings handed in (submitted or
-- accepted, gold runs excluded), as lib/server/stats/annotation-rollup.ts keeps it.
UPDATE "Image" SET "doublyLabelled" = true
WHERE (SELECT COUNT(*) FROM "Annotation" a
  WHERE a."imageId" = "Image"."id" AND a."status" IN ('submitted', 'accepted') AND a."goldScore" IS NULL) >= 2;
