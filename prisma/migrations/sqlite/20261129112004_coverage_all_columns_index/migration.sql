-- DropIndex
DROP INDEX "Hand_projectId_coverageStage_skinTone_gesture_view_interaction_createdAt_idx";

-- CreateIndex
CREATE INDEX "Hand_coverage_all_columns_idx" ON "Hand"("projectId", "coverageStage", "skinTone", "gesture", "view", "interaction", "handedness", "occlusionBand", "truncated", "imageFlagKey", "subjectId", "createdAt");

-- Coverage counts each image once (lib/coverage/stage.ts imageCoverageStages): hands of images labelled more
-- than once are backfilled before coverage is next read, which re-decides which labelling counts.
UPDATE "Hand" SET "projectId" = NULL WHERE "imageId" IN (SELECT "imageId" FROM "Annotation" GROUP BY "imageId" HAVING COUNT(*) > 1);
