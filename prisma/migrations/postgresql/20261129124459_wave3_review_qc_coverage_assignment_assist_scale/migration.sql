-- DropIndex
DROP INDEX "Hand_projectId_coverageStage_skinTone_gesture_view_interact_idx";

-- AlterTable
ALTER TABLE "Image" ADD COLUMN     "assignedAt" TIMESTAMP(3),
ADD COLUMN     "assignedToId" TEXT,
ADD COLUMN     "heldSlots" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "queueHeld" INTEGER;

-- AlterTable
ALTER TABLE "Annotation" ADD COLUMN     "rollup" TEXT,
ADD COLUMN     "rollupStatus" TEXT,
ADD COLUMN     "strongFlagged" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "Review" ADD COLUMN     "returnedDoc" JSONB;

-- AlterTable
ALTER TABLE "ReviewPin" ADD COLUMN     "resolvedAt" TIMESTAMP(3),
ADD COLUMN     "resolvedById" TEXT;

-- CreateTable
CREATE TABLE "AnnotationRollup" (
    "projectId" TEXT NOT NULL,
    "annotatorId" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "annotations" INTEGER NOT NULL DEFAULT 0,
    "decided" INTEGER NOT NULL DEFAULT 0,
    "returned" INTEGER NOT NULL DEFAULT 0,
    "hands" INTEGER NOT NULL DEFAULT 0,
    "activeMs" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "goldCount" INTEGER NOT NULL DEFAULT 0,
    "goldSum" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "assistedCount" INTEGER NOT NULL DEFAULT 0,
    "correctionSum" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "anyFlagged" INTEGER NOT NULL DEFAULT 0,
    "strongFlagged" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "AnnotationRollup_pkey" PRIMARY KEY ("projectId","annotatorId","status")
);

-- CreateTable
CREATE TABLE "FlagRollup" (
    "projectId" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "severity" TEXT NOT NULL,
    "n" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "FlagRollup_pkey" PRIMARY KEY ("projectId","code","severity")
);

-- CreateTable
CREATE TABLE "IssueReply" (
    "id" TEXT NOT NULL,
    "pinId" TEXT NOT NULL,
    "authorId" TEXT,
    "body" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "IssueReply_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "QueueRollup" (
    "projectId" TEXT NOT NULL,
    "doubleAnnotate" BOOLEAN NOT NULL,
    "held" INTEGER NOT NULL,
    "images" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "QueueRollup_pkey" PRIMARY KEY ("projectId","doubleAnnotate","held")
);

-- CreateIndex
CREATE INDEX "IssueReply_pinId_createdAt_idx" ON "IssueReply"("pinId", "createdAt");

-- CreateIndex
CREATE INDEX "Image_projectId_assignedToId_state_createdAt_idx" ON "Image"("projectId", "assignedToId", "state", "createdAt");

-- CreateIndex
CREATE INDEX "Image_projectId_state_queueHeld_idx" ON "Image"("projectId", "state", "queueHeld");

-- CreateIndex
CREATE INDEX "Annotation_status_strongFlagged_submittedAt_idx" ON "Annotation"("status", "strongFlagged", "submittedAt");

-- CreateIndex
CREATE INDEX "Annotation_rollupStatus_status_idx" ON "Annotation"("rollupStatus", "status");

-- CreateIndex
CREATE INDEX "Hand_coverage_all_columns_idx" ON "Hand"("projectId", "coverageStage", "skinTone", "gesture", "view", "interaction", "handedness", "occlusionBand", "truncated", "imageFlagKey", "subjectId", "createdAt");

-- AddForeignKey
ALTER TABLE "Image" ADD CONSTRAINT "Image_assignedToId_fkey" FOREIGN KEY ("assignedToId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AnnotationRollup" ADD CONSTRAINT "AnnotationRollup_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "FlagRollup" ADD CONSTRAINT "FlagRollup_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReviewPin" ADD CONSTRAINT "ReviewPin_resolvedById_fkey" FOREIGN KEY ("resolvedById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "IssueReply" ADD CONSTRAINT "IssueReply_pinId_fkey" FOREIGN KEY ("pinId") REFERENCES "ReviewPin"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "IssueReply" ADD CONSTRAINT "IssueReply_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "QueueRollup" ADD CONSTRAINT "QueueRollup_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Coverage counts each image once (lib/coverage/stage.ts imageCoverageStages): hands of images labelled more
-- than once are backfilled before coverage is next read, which re-decides which labelling counts.
UPDATE "Hand" SET "projectId" = NULL WHERE "imageId" IN (SELECT "imageId" FROM "Annotation" GROUP BY "imageId" HAVING COUNT(*) > 1);

-- Backfill: work already holding a strong quality flag goes first in the review queue too.
UPDATE "Annotation" SET "strongFlagged" = true
WHERE jsonb_typeof("qualityFlags") = 'array'
  AND EXISTS (SELECT 1 FROM jsonb_array_elements("qualityFlags") f WHERE f->>'severity' = 'strong');
