-- CreateTable
CREATE TABLE "User" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "email" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "passwordHash" TEXT NOT NULL,
    "isAdmin" BOOLEAN NOT NULL DEFAULT false,
    "disabledAt" DATETIME,
    "mustChangePassword" BOOLEAN NOT NULL DEFAULT false,
    "lastLoginAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "Project" (
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
    "archivedAt" DATETIME,
    "createdById" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Project_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Membership" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "projectId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Membership_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Membership_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Subject" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "projectId" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "ageBand" TEXT,
    "sexOrGender" TEXT,
    "monkSkinTone" INTEGER,
    "fitzpatrick" TEXT,
    "dominantHand" TEXT,
    "occupationGroup" TEXT,
    "notes" TEXT NOT NULL DEFAULT '',
    "lastInteractionAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Subject_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ConsentText" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "projectId" TEXT NOT NULL,
    "version" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "sha256" TEXT NOT NULL,
    "scopes" JSONB NOT NULL,
    "biometricNotice" TEXT NOT NULL,
    "createdById" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "ConsentText_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "ConsentText_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ConsentRecord" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "subjectId" TEXT NOT NULL,
    "consentTextId" TEXT NOT NULL,
    "scopes" JSONB NOT NULL,
    "biometricNoticeAcknowledged" BOOLEAN NOT NULL,
    "signedAt" DATETIME NOT NULL,
    "collectedById" TEXT,
    "jurisdiction" TEXT NOT NULL,
    "isMinor" BOOLEAN NOT NULL DEFAULT false,
    "guardianName" TEXT,
    "guardianRelation" TEXT,
    "retentionUntil" DATETIME NOT NULL,
    "withdrawnAt" DATETIME,
    "withdrawalChannel" TEXT,
    "withdrawalReason" TEXT,
    "supersedesId" TEXT,
    "formStorageKey" TEXT,
    "formSha256" TEXT,
    "formMimeType" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "ConsentRecord_subjectId_fkey" FOREIGN KEY ("subjectId") REFERENCES "Subject" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "ConsentRecord_consentTextId_fkey" FOREIGN KEY ("consentTextId") REFERENCES "ConsentText" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "ConsentRecord_collectedById_fkey" FOREIGN KEY ("collectedById") REFERENCES "User" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "ConsentRecord_supersedesId_fkey" FOREIGN KEY ("supersedesId") REFERENCES "ConsentRecord" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Image" (
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
    "purgedAt" DATETIME,
    "uploadedById" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Image_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Image_subjectId_fkey" FOREIGN KEY ("subjectId") REFERENCES "Subject" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Image_uploadedById_fkey" FOREIGN KEY ("uploadedById") REFERENCES "User" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Annotation" (
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
    "isGold" BOOLEAN NOT NULL DEFAULT false,
    "skipReason" TEXT,
    "leaseExpiresAt" DATETIME,
    "submittedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Annotation_imageId_fkey" FOREIGN KEY ("imageId") REFERENCES "Image" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Annotation_annotatorId_fkey" FOREIGN KEY ("annotatorId") REFERENCES "User" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Hand" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "annotationId" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "handedness" TEXT NOT NULL DEFAULT 'unknown',
    "keypoints" JSONB NOT NULL,
    "bbox" JSONB,
    "gesture" TEXT,
    "view" TEXT,
    "interaction" TEXT NOT NULL DEFAULT 'none',
    "truncated" BOOLEAN NOT NULL DEFAULT false,
    "skinTone" INTEGER,
    "attributes" JSONB NOT NULL,
    "qualityFlags" JSONB NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Hand_annotationId_fkey" FOREIGN KEY ("annotationId") REFERENCES "Annotation" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Review" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "annotationId" TEXT NOT NULL,
    "reviewerId" TEXT NOT NULL,
    "round" INTEGER NOT NULL DEFAULT 1,
    "decision" TEXT,
    "comment" TEXT NOT NULL DEFAULT '',
    "fixedHands" JSONB,
    "difference" JSONB,
    "leaseExpiresAt" DATETIME,
    "decidedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Review_annotationId_fkey" FOREIGN KEY ("annotationId") REFERENCES "Annotation" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Review_reviewerId_fkey" FOREIGN KEY ("reviewerId") REFERENCES "User" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ReviewPin" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "reviewId" TEXT NOT NULL,
    "x" REAL NOT NULL,
    "y" REAL NOT NULL,
    "handIndex" INTEGER,
    "jointIndex" INTEGER,
    "message" TEXT NOT NULL,
    CONSTRAINT "ReviewPin_reviewId_fkey" FOREIGN KEY ("reviewId") REFERENCES "Review" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "AuditEvent" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actorId" TEXT,
    "projectId" TEXT,
    "action" TEXT NOT NULL,
    "targetType" TEXT NOT NULL,
    "targetId" TEXT,
    "details" JSONB NOT NULL,
    "ip" TEXT,
    CONSTRAINT "AuditEvent_actorId_fkey" FOREIGN KEY ("actorId") REFERENCES "User" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "AuditEvent_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Export" (
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
    "finishedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Export_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Export_requestedById_fkey" FOREIGN KEY ("requestedById") REFERENCES "User" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ExportImage" (
    "exportId" TEXT NOT NULL,
    "imageId" TEXT NOT NULL,

    PRIMARY KEY ("exportId", "imageId"),
    CONSTRAINT "ExportImage_exportId_fkey" FOREIGN KEY ("exportId") REFERENCES "Export" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "ExportImage_imageId_fkey" FOREIGN KEY ("imageId") REFERENCES "Image" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ExportConsent" (
    "exportId" TEXT NOT NULL,
    "consentRecordId" TEXT NOT NULL,

    PRIMARY KEY ("exportId", "consentRecordId"),
    CONSTRAINT "ExportConsent_exportId_fkey" FOREIGN KEY ("exportId") REFERENCES "Export" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "ExportConsent_consentRecordId_fkey" FOREIGN KEY ("consentRecordId") REFERENCES "ConsentRecord" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "LoginThrottle" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "failures" INTEGER NOT NULL DEFAULT 0,
    "windowStartsAt" DATETIME NOT NULL,
    "lockedUntil" DATETIME
);

-- CreateIndex
CREATE UNIQUE INDEX "User_email_key" ON "User"("email");

-- CreateIndex
CREATE INDEX "Membership_userId_idx" ON "Membership"("userId");

-- CreateIndex
CREATE UNIQUE INDEX "Membership_projectId_userId_role_key" ON "Membership"("projectId", "userId", "role");

-- CreateIndex
CREATE UNIQUE INDEX "Subject_projectId_code_key" ON "Subject"("projectId", "code");

-- CreateIndex
CREATE UNIQUE INDEX "ConsentText_projectId_version_key" ON "ConsentText"("projectId", "version");

-- CreateIndex
CREATE UNIQUE INDEX "ConsentRecord_supersedesId_key" ON "ConsentRecord"("supersedesId");

-- CreateIndex
CREATE INDEX "ConsentRecord_subjectId_idx" ON "ConsentRecord"("subjectId");

-- CreateIndex
CREATE INDEX "Image_subjectId_idx" ON "Image"("subjectId");

-- CreateIndex
CREATE UNIQUE INDEX "Image_projectId_sha256_key" ON "Image"("projectId", "sha256");

-- CreateIndex
CREATE INDEX "Annotation_annotatorId_status_idx" ON "Annotation"("annotatorId", "status");

-- CreateIndex
CREATE INDEX "Annotation_status_idx" ON "Annotation"("status");

-- CreateIndex
CREATE UNIQUE INDEX "Annotation_imageId_annotatorId_key" ON "Annotation"("imageId", "annotatorId");

-- CreateIndex
CREATE UNIQUE INDEX "Hand_annotationId_position_key" ON "Hand"("annotationId", "position");

-- CreateIndex
CREATE INDEX "Review_annotationId_idx" ON "Review"("annotationId");

-- CreateIndex
CREATE INDEX "AuditEvent_projectId_at_idx" ON "AuditEvent"("projectId", "at");

-- CreateIndex
CREATE INDEX "AuditEvent_action_idx" ON "AuditEvent"("action");

-- CreateIndex
CREATE INDEX "Export_status_idx" ON "Export"("status");

-- CreateIndex
CREATE INDEX "ExportImage_imageId_idx" ON "ExportImage"("imageId");
