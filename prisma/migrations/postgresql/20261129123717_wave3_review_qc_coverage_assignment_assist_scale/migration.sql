-- DropIndex
DROP INDEX "Hand_projectId_coverageStage_skinTone_gesture_view_interact_idx";

-- AlterTable
ALTER TABLE "Image" ADD COLUMN     "assignedAt" TIMESTAMP(3),
ADD COLUMN     "assignedToId" TEXT;

-- AlterTable
ALTER TABLE "Annotation" ADD COLUMN     "strongFlagged" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "Review" ADD COLUMN     "returnedDoc" JSONB;

-- AlterTable
ALTER TABLE "ReviewPin" ADD COLUMN     "resolvedAt" TIMESTAMP(3),
ADD COLUMN     "resolvedById" TEXT;

-- CreateTable
CREATE TABLE "IssueReply" (
    "id" TEXT NOT NULL,
    "pinId" TEXT NOT NULL,
    "authorId" TEXT,
    "body" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "IssueReply_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "IssueReply_pinId_createdAt_idx" ON "IssueReply"("pinId", "createdAt");

-- CreateIndex
CREATE INDEX "Image_projectId_assignedToId_state_createdAt_idx" ON "Image"("projectId", "assignedToId", "state", "createdAt");

-- CreateIndex
CREATE INDEX "Annotation_status_strongFlagged_submittedAt_idx" ON "Annotation"("status", "strongFlagged", "submittedAt");

-- CreateIndex
CREATE INDEX "Hand_coverage_all_columns_idx" ON "Hand"("projectId", "coverageStage", "skinTone", "gesture", "view", "interaction", "handedness", "occlusionBand", "truncated", "imageFlagKey", "subjectId", "createdAt");

-- AddForeignKey
ALTER TABLE "Image" ADD CONSTRAINT "Image_assignedToId_fkey" FOREIGN KEY ("assignedToId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReviewPin" ADD CONSTRAINT "ReviewPin_resolvedById_fkey" FOREIGN KEY ("resolvedById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "IssueReply" ADD CONSTRAINT "IssueReply_pinId_fkey" FOREIGN KEY ("pinId") REFERENCES "ReviewPin"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "IssueReply" ADD CONSTRAINT "IssueReply_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- Coverage counts each image once (lib/coverage/stage.ts imageCoverageStages): hands of images labelled more
-- than once are backfilled before coverage is next read, which re-decides which labelling counts.
UPDATE "Hand" SET "projectId" = NULL WHERE "imageId" IN (SELECT "imageId" FROM "Annotation" GROUP BY "imageId" HAVING COUNT(*) > 1);

-- Backfill: work already holding a strong quality flag goes first in the review queue too.
UPDATE "Annotation" SET "strongFlagged" = true
WHERE jsonb_typeof("qualityFlags") = 'array'
  AND EXISTS (SELECT 1 FROM jsonb_array_elements("qualityFlags") f WHERE f->>'severity' = 'strong');
