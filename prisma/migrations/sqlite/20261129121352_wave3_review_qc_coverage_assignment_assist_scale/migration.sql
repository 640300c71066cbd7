-- DropIndex
DROP INDEX "Hand_projectId_coverageStage_skinTone_gesture_view_interaction_createdAt_idx";

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Annotation" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "imageId" TEXT NOT NULL,
    "annotatorId" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'draft',
    "version" INTEGER NOT NULL DEFAULT 1,
    "schemaVersion" INTEGER NOT NULL DEFAULT 1,
    "timeSpentMs" INTEGER NOT NULL DEFAULT 0,
    "source" TEXT NOT NULL DEFAULT 'manual',
    "noHands" BOOLEAN NOT NULL DEFAULT false,
    "imageFlags" JSONB NOT NULL,
    "modelPrediction" JSONB,
    "qualityFlags" JSONB NOT NULL,
    "strongFlagged" BOOLEAN NOT NULL DEFAULT false,
    "isGold" BOOLEAN NOT NULL DEFAULT false,
    "goldScore" REAL,
    "modelCorrectionPx" REAL,
    "skipReason" TEXT,
    "leaseExpiresAt" DATETIME,
    "submittedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Annotation_imageId_fkey" FOREIGN KEY ("imageId") REFERENCES "Image" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Annotation_annotatorId_fkey" FOREIGN KEY ("annotatorId") REFERENCES "User" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
INSERT INTO "new_Annotation" ("annotatorId", "createdAt", "goldScore", "id", "imageFlags", "imageId", "isGold", "leaseExpiresAt", "modelCorrectionPx", "modelPrediction", "noHands", "qualityFlags", "schemaVersion", "skipReason", "source", "status", "submittedAt", "timeSpentMs", "updatedAt", "version") SELECT "annotatorId", "createdAt", "goldScore", "id", "imageFlags", "imageId", "isGold", "leaseExpiresAt", "modelCorrectionPx", "modelPrediction", "noHands", "qualityFlags", "schemaVersion", "skipReason", "source", "status", "submittedAt", "timeSpentMs", "updatedAt", "version" FROM "Annotation";
DROP TABLE "Annotation";
ALTER TABLE "new_Annotation" RENAME TO "Annotation";
CREATE INDEX "Annotation_annotatorId_status_idx" ON "Annotation"("annotatorId", "status");
CREATE INDEX "Annotation_status_idx" ON "Annotation"("status");
CREATE INDEX "Annotation_imageId_status_idx" ON "Annotation"("imageId", "status");
CREATE INDEX "Annotation_status_submittedAt_idx" ON "Annotation"("status", "submittedAt");
CREATE INDEX "Annotation_status_strongFlagged_submittedAt_idx" ON "Annotation"("status", "strongFlagged", "submittedAt");
CREATE UNIQUE INDEX "Annotation_imageId_annotatorId_key" ON "Annotation"("imageId", "annotatorId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "Hand_coverage_all_columns_idx" ON "Hand"("projectId", "coverageStage", "skinTone", "gesture", "view", "interaction", "handedness", "occlusionBand", "truncated", "imageFlagKey", "subjectId", "createdAt");

-- Coverage counts each image once (lib/coverage/stage.ts imageCoverageStages): hands of images labelled more
-- than once are backfilled before coverage is next read, which re-decides which labelling counts.
UPDATE "Hand" SET "projectId" = NULL WHERE "imageId" IN (SELECT "imageId" FROM "Annotation" GROUP BY "imageId" HAVING COUNT(*) > 1);

-- Backfill: work already holding a strong quality flag goes first in the review queue too.
UPDATE "Annotation" SET "strongFlagged" = true
WHERE json_type("qualityFlags") = 'array'
  AND EXISTS (SELECT 1 FROM json_each("qualityFlags") f WHERE json_extract(f.value, '$.severity') = 'strong');
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
