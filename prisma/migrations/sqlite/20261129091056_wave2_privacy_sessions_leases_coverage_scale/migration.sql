-- AlterTable
ALTER TABLE "Hand" ADD COLUMN "coverageStage" TEXT;
ALTER TABLE "Hand" ADD COLUMN "imageFlagKey" TEXT;
ALTER TABLE "Hand" ADD COLUMN "imageId" TEXT;
ALTER TABLE "Hand" ADD COLUMN "occlusionBand" TEXT;
ALTER TABLE "Hand" ADD COLUMN "projectId" TEXT;
ALTER TABLE "Hand" ADD COLUMN "subjectId" TEXT;

-- CreateTable
CREATE TABLE "Session" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "userId" TEXT NOT NULL,
    "userAgent" TEXT NOT NULL DEFAULT '',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastSeenAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revokedAt" DATETIME,
    CONSTRAINT "Session_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

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

-- CreateTable
CREATE TABLE "PendingObject" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "kind" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
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
CREATE TABLE "new_Export" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "projectId" TEXT NOT NULL,
    "requestedById" TEXT,
    "status" TEXT NOT NULL DEFAULT 'queued',
    "options" JSONB NOT NULL,
    "unblurred" BOOLEAN NOT NULL DEFAULT false,
    "unblurredReason" TEXT,
    "progress" REAL NOT NULL DEFAULT 0,
    "manifest" JSONB,
    "archiveKey" TEXT,
    "error" TEXT,
    "claimedBy" TEXT,
    "claimedAt" DATETIME,
    "leaseToken" TEXT,
    "heartbeatAt" DATETIME,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "finishedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revokedAt" DATETIME,
    "revokedReason" TEXT,
    "archivePurgedAt" DATETIME,
    "supersedesId" TEXT,
    CONSTRAINT "Export_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Export_requestedById_fkey" FOREIGN KEY ("requestedById") REFERENCES "User" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "Export_supersedesId_fkey" FOREIGN KEY ("supersedesId") REFERENCES "Export" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_Export" ("archiveKey", "claimedAt", "claimedBy", "createdAt", "error", "finishedAt", "id", "manifest", "options", "progress", "projectId", "requestedById", "status", "unblurred", "unblurredReason") SELECT "archiveKey", "claimedAt", "claimedBy", "createdAt", "error", "finishedAt", "id", "manifest", "options", "progress", "projectId", "requestedById", "status", "unblurred", "unblurredReason" FROM "Export";
DROP TABLE "Export";
ALTER TABLE "new_Export" RENAME TO "Export";
CREATE INDEX "Export_status_idx" ON "Export"("status");
CREATE INDEX "Export_supersedesId_idx" ON "Export"("supersedesId");
CREATE INDEX "Export_projectId_createdAt_idx" ON "Export"("projectId", "createdAt");
CREATE TABLE "new_LoginThrottle" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "failures" INTEGER NOT NULL DEFAULT 0,
    "reserved" INTEGER NOT NULL DEFAULT 0,
    "windowStartsAt" DATETIME NOT NULL,
    "lockedUntil" DATETIME
);
INSERT INTO "new_LoginThrottle" ("failures", "key", "lockedUntil", "windowStartsAt") SELECT "failures", "key", "lockedUntil", "windowStartsAt" FROM "LoginThrottle";
DROP TABLE "LoginThrottle";
ALTER TABLE "new_LoginThrottle" RENAME TO "LoginThrottle";
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "Session_userId_idx" ON "Session"("userId");

-- CreateIndex
CREATE INDEX "CoverageTarget_projectId_idx" ON "CoverageTarget"("projectId");

-- CreateIndex
CREATE INDEX "PendingObject_createdAt_idx" ON "PendingObject"("createdAt");

-- CreateIndex
CREATE INDEX "Image_projectId_createdAt_id_idx" ON "Image"("projectId", "createdAt", "id");

-- CreateIndex
CREATE INDEX "Image_subjectId_createdAt_id_idx" ON "Image"("subjectId", "createdAt", "id");

-- CreateIndex
CREATE INDEX "Image_subjectId_state_idx" ON "Image"("subjectId", "state");

-- CreateIndex
CREATE INDEX "Annotation_imageId_status_idx" ON "Annotation"("imageId", "status");

-- CreateIndex
CREATE INDEX "Annotation_status_submittedAt_idx" ON "Annotation"("status", "submittedAt");

-- CreateIndex
CREATE INDEX "Hand_projectId_coverageStage_skinTone_gesture_view_interaction_createdAt_idx" ON "Hand"("projectId", "coverageStage", "skinTone", "gesture", "view", "interaction", "createdAt");

-- CreateIndex
CREATE INDEX "Hand_projectId_coverageStage_handedness_occlusionBand_truncated_imageFlagKey_createdAt_idx" ON "Hand"("projectId", "coverageStage", "handedness", "occlusionBand", "truncated", "imageFlagKey", "createdAt");

-- CreateIndex
CREATE INDEX "Hand_projectId_coverageStage_subjectId_createdAt_idx" ON "Hand"("projectId", "coverageStage", "subjectId", "createdAt");

-- CreateIndex
CREATE INDEX "Review_reviewerId_decision_idx" ON "Review"("reviewerId", "decision");

-- CreateIndex
CREATE INDEX "Review_decision_leaseExpiresAt_idx" ON "Review"("decision", "leaseExpiresAt");

-- CreateIndex
CREATE INDEX "ReviewPin_reviewId_idx" ON "ReviewPin"("reviewId");

-- CreateIndex
CREATE INDEX "AuditEvent_targetId_at_idx" ON "AuditEvent"("targetId", "at");
