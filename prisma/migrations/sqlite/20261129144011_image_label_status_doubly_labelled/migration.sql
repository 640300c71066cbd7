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
