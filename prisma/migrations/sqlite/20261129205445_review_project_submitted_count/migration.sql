-- Hand-written (issue 18): columns added in place; redefining Image would drop the slot triggers of the wave 4 migration.

-- AlterTable: Review.projectId, copied from the annotation's image (an image never changes project)
ALTER TABLE "Review" ADD COLUMN "projectId" TEXT NOT NULL DEFAULT '';
UPDATE "Review" SET "projectId" = (SELECT i."projectId" FROM "Annotation" a JOIN "Image" i ON i."id" = a."imageId" WHERE a."id" = "Review"."annotationId");

-- AlterTable: Image.submittedCount, counted for the images that have submitted annotations (the others stay 0)
ALTER TABLE "Image" ADD COLUMN "submittedCount" INTEGER NOT NULL DEFAULT 0;
UPDATE "Image" SET "submittedCount" = (SELECT COUNT(*) FROM "Annotation" a WHERE a."imageId" = "Image"."id" AND a."status" = 'submitted')
WHERE "id" IN (SELECT "imageId" FROM "Annotation" WHERE "status" = 'submitted');

-- CreateIndex
CREATE INDEX "Image_projectId_state_submittedCount_idx" ON "Image"("projectId", "state", "submittedCount");

-- CreateIndex
CREATE INDEX "Review_reviewerId_projectId_decision_idx" ON "Review"("reviewerId", "projectId", "decision");
