-- DropIndex
DROP INDEX "Hand_projectId_coverageStage_skinTone_gesture_view_interaction_createdAt_idx";

-- AlterTable
ALTER TABLE "Review" ADD COLUMN "returnedDoc" JSONB;

-- CreateTable
CREATE TABLE "AnnotationRollup" (
    "projectId" TEXT NOT NULL,
    "annotatorId" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "annotations" INTEGER NOT NULL DEFAULT 0,
    "decided" INTEGER NOT NULL DEFAULT 0,
    "returned" INTEGER NOT NULL DEFAULT 0,
    "hands" INTEGER NOT NULL DEFAULT 0,
    "activeMs" REAL NOT NULL DEFAULT 0,
    "goldCount" INTEGER NOT NULL DEFAULT 0,
    "goldSum" REAL NOT NULL DEFAULT 0,
    "assistedCount" INTEGER NOT NULL DEFAULT 0,
    "correctionSum" REAL NOT NULL DEFAULT 0,
    "anyFlagged" INTEGER NOT NULL DEFAULT 0,
    "strongFlagged" INTEGER NOT NULL DEFAULT 0,

    PRIMARY KEY ("projectId", "annotatorId", "status"),
    CONSTRAINT "AnnotationRollup_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "FlagRollup" (
    "projectId" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "severity" TEXT NOT NULL,
    "n" INTEGER NOT NULL DEFAULT 0,

    PRIMARY KEY ("projectId", "code", "severity"),
    CONSTRAINT "FlagRollup_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "IssueReply" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "pinId" TEXT NOT NULL,
    "authorId" TEXT,
    "body" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "IssueReply_pinId_fkey" FOREIGN KEY ("pinId") REFERENCES "ReviewPin" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "IssueReply_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "QueueRollup" (
    "projectId" TEXT NOT NULL,
    "doubleAnnotate" BOOLEAN NOT NULL,
    "held" INTEGER NOT NULL,
    "images" INTEGER NOT NULL DEFAULT 0,

    PRIMARY KEY ("projectId", "doubleAnnotate", "held"),
    CONSTRAINT "QueueRollup_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project" ("id") ON DELETE CASCADE ON UPDATE CASCADE
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
    CONSTRAINT "Image_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Image_subjectId_fkey" FOREIGN KEY ("subjectId") REFERENCES "Subject" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Image_uploadedById_fkey" FOREIGN KEY ("uploadedById") REFERENCES "User" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "Image_assignedToId_fkey" FOREIGN KEY ("assignedToId") REFERENCES "User" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_Image" ("byteSize", "createdAt", "displayKey", "doubleAnnotate", "height", "id", "metadata", "mimeType", "originalFilename", "originalKey", "preAnnotation", "projectId", "purgedAt", "sha256", "state", "subjectId", "thumbKey", "uploadedById", "width") SELECT "byteSize", "createdAt", "displayKey", "doubleAnnotate", "height", "id", "metadata", "mimeType", "originalFilename", "originalKey", "preAnnotation", "projectId", "purgedAt", "sha256", "state", "subjectId", "thumbKey", "uploadedById", "width" FROM "Image";
DROP TABLE "Image";
ALTER TABLE "new_Image" RENAME TO "Image";
CREATE INDEX "Image_subjectId_idx" ON "Image"("subjectId");
CREATE INDEX "Image_projectId_state_createdAt_idx" ON "Image"("projectId", "state", "createdAt");
CREATE INDEX "Image_projectId_createdAt_id_idx" ON "Image"("projectId", "createdAt", "id");
CREATE INDEX "Image_subjectId_createdAt_id_idx" ON "Image"("subjectId", "createdAt", "id");
CREATE INDEX "Image_subjectId_state_idx" ON "Image"("subjectId", "state");
CREATE INDEX "Image_projectId_assignedToId_state_createdAt_idx" ON "Image"("projectId", "assignedToId", "state", "createdAt");
CREATE INDEX "Image_projectId_state_queueHeld_idx" ON "Image"("projectId", "state", "queueHeld");
CREATE UNIQUE INDEX "Image_projectId_sha256_key" ON "Image"("projectId", "sha256");
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
    "rollupStatus" TEXT,
    "rollup" TEXT,
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
CREATE INDEX "Annotation_rollupStatus_status_idx" ON "Annotation"("rollupStatus", "status");
CREATE UNIQUE INDEX "Annotation_imageId_annotatorId_key" ON "Annotation"("imageId", "annotatorId");
CREATE TABLE "new_ReviewPin" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "reviewId" TEXT NOT NULL,
    "x" REAL NOT NULL,
    "y" REAL NOT NULL,
    "handIndex" INTEGER,
    "jointIndex" INTEGER,
    "message" TEXT NOT NULL,
    "resolvedAt" DATETIME,
    "resolvedById" TEXT,
    CONSTRAINT "ReviewPin_reviewId_fkey" FOREIGN KEY ("reviewId") REFERENCES "Review" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "ReviewPin_resolvedById_fkey" FOREIGN KEY ("resolvedById") REFERENCES "User" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_ReviewPin" ("handIndex", "id", "jointIndex", "message", "reviewId", "x", "y") SELECT "handIndex", "id", "jointIndex", "message", "reviewId", "x", "y" FROM "ReviewPin";
DROP TABLE "ReviewPin";
ALTER TABLE "new_ReviewPin" RENAME TO "ReviewPin";
CREATE INDEX "ReviewPin_reviewId_idx" ON "ReviewPin"("reviewId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "IssueReply_pinId_createdAt_idx" ON "IssueReply"("pinId", "createdAt");

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
