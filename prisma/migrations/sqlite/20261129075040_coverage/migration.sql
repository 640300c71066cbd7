-- AlterTable
ALTER TABLE "Hand" ADD COLUMN "coverageStage" TEXT;
ALTER TABLE "Hand" ADD COLUMN "imageFlagKey" TEXT;
ALTER TABLE "Hand" ADD COLUMN "imageId" TEXT;
ALTER TABLE "Hand" ADD COLUMN "occlusionBand" TEXT;
ALTER TABLE "Hand" ADD COLUMN "projectId" TEXT;
ALTER TABLE "Hand" ADD COLUMN "subjectId" TEXT;

-- CreateTable
CREATE TABLE "CoverageTarget" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "projectId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "value" REAL NOT NULL,
    "cell" JSONB NOT NULL,
    "each" TEXT,
    "createdById" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "CoverageTarget_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Project" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "gestures" JSONB NOT NULL,
    "handAttributes" JSONB NOT NULL,
    "imageFlags" JSONB NOT NULL,
    "annotationsPerImage" INTEGER NOT NULL DEFAULT 1,
    "reviewSampleRate" REAL NOT NULL DEFAULT 1,
    "retentionDays" INTEGER NOT NULL DEFAULT 1095,
    "withdrawalPolicy" TEXT NOT NULL DEFAULT 'purge',
    "leaseMinutes" INTEGER NOT NULL DEFAULT 30,
    "goldRate" REAL NOT NULL DEFAULT 0,
    "agreementShare" REAL NOT NULL DEFAULT 0,
    "agreementThreshold" REAL NOT NULL DEFAULT 0.75,
    "oksSigmas" JSONB,
    "queueCoverageFirst" BOOLEAN NOT NULL DEFAULT false,
    "archivedAt" DATETIME,
    "createdById" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Project_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_Project" ("agreementShare", "agreementThreshold", "annotationsPerImage", "archivedAt", "createdAt", "createdById", "description", "gestures", "goldRate", "handAttributes", "id", "imageFlags", "leaseMinutes", "name", "oksSigmas", "retentionDays", "reviewSampleRate", "updatedAt", "withdrawalPolicy") SELECT "agreementShare", "agreementThreshold", "annotationsPerImage", "archivedAt", "createdAt", "createdById", "description", "gestures", "goldRate", "handAttributes", "id", "imageFlags", "leaseMinutes", "name", "oksSigmas", "retentionDays", "reviewSampleRate", "updatedAt", "withdrawalPolicy" FROM "Project";
DROP TABLE "Project";
ALTER TABLE "new_Project" RENAME TO "Project";
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "CoverageTarget_projectId_idx" ON "CoverageTarget"("projectId");

-- CreateIndex
CREATE INDEX "Hand_projectId_coverageStage_skinTone_gesture_view_interaction_createdAt_idx" ON "Hand"("projectId", "coverageStage", "skinTone", "gesture", "view", "interaction", "createdAt");

-- CreateIndex
CREATE INDEX "Hand_projectId_coverageStage_handedness_occlusionBand_truncated_imageFlagKey_createdAt_idx" ON "Hand"("projectId", "coverageStage", "handedness", "occlusionBand", "truncated", "imageFlagKey", "createdAt");

-- CreateIndex
CREATE INDEX "Hand_projectId_coverageStage_subjectId_createdAt_idx" ON "Hand"("projectId", "coverageStage", "subjectId", "createdAt");
