-- AlterTable
ALTER TABLE "Project" ADD COLUMN     "queueCoverageFirst" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "Hand" ADD COLUMN     "coverageStage" TEXT,
ADD COLUMN     "imageFlagKey" TEXT,
ADD COLUMN     "imageId" TEXT,
ADD COLUMN     "occlusionBand" TEXT,
ADD COLUMN     "projectId" TEXT,
ADD COLUMN     "subjectId" TEXT;

-- AlterTable
ALTER TABLE "Export" ADD COLUMN     "archivePurgedAt" TIMESTAMP(3),
ADD COLUMN     "attempts" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "heartbeatAt" TIMESTAMP(3),
ADD COLUMN     "leaseToken" TEXT,
ADD COLUMN     "revokedAt" TIMESTAMP(3),
ADD COLUMN     "revokedReason" TEXT,
ADD COLUMN     "supersedesId" TEXT;

-- AlterTable
ALTER TABLE "LoginThrottle" ADD COLUMN     "reserved" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "Session" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "userAgent" TEXT NOT NULL DEFAULT '',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastSeenAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revokedAt" TIMESTAMP(3),

    CONSTRAINT "Session_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CoverageTarget" (
    "id" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "value" DOUBLE PRECISION NOT NULL,
    "cell" JSONB NOT NULL,
    "each" TEXT,
    "createdById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "CoverageTarget_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PendingObject" (
    "key" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PendingObject_pkey" PRIMARY KEY ("key")
);

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
CREATE INDEX "Hand_projectId_coverageStage_skinTone_gesture_view_interact_idx" ON "Hand"("projectId", "coverageStage", "skinTone", "gesture", "view", "interaction", "createdAt");

-- CreateIndex
CREATE INDEX "Hand_projectId_coverageStage_handedness_occlusionBand_trunc_idx" ON "Hand"("projectId", "coverageStage", "handedness", "occlusionBand", "truncated", "imageFlagKey", "createdAt");

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

-- CreateIndex
CREATE INDEX "Export_supersedesId_idx" ON "Export"("supersedesId");

-- CreateIndex
CREATE INDEX "Export_projectId_createdAt_idx" ON "Export"("projectId", "createdAt");

-- AddForeignKey
ALTER TABLE "Session" ADD CONSTRAINT "Session_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CoverageTarget" ADD CONSTRAINT "CoverageTarget_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Export" ADD CONSTRAINT "Export_supersedesId_fkey" FOREIGN KEY ("supersedesId") REFERENCES "Export"("id") ON DELETE SET NULL ON UPDATE CASCADE;
