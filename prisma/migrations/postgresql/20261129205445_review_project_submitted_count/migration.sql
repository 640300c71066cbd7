-- Hand-written (issue 18): backfills the new columns before the constraints that need them.

-- AlterTable: Review.projectId, copied from the annotation's image (an image never changes project)
ALTER TABLE "Review" ADD COLUMN "projectId" TEXT;
UPDATE "Review" r SET "projectId" = i."projectId" FROM "Annotation" a JOIN "Image" i ON i."id" = a."imageId" WHERE a."id" = r."annotationId";
ALTER TABLE "Review" ALTER COLUMN "projectId" SET NOT NULL;

-- AlterTable: Image.submittedCount, counted for the images that have submitted annotations (the others stay 0)
ALTER TABLE "Image" ADD COLUMN "submittedCount" INTEGER NOT NULL DEFAULT 0;
UPDATE "Image" i SET "submittedCount" = s."n"
FROM (SELECT "imageId", COUNT(*)::INTEGER AS "n" FROM "Annotation" WHERE "status" = 'submitted' GROUP BY "imageId") s
WHERE s."imageId" = i."id";

-- CreateIndex
CREATE INDEX "Image_projectId_state_submittedCount_idx" ON "Image"("projectId", "state", "submittedCount");

-- CreateIndex
CREATE INDEX "Review_reviewerId_projectId_decision_idx" ON "Review"("reviewerId", "projectId", "decision");
