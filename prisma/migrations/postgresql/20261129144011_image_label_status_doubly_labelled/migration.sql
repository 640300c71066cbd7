-- AlterTable
ALTER TABLE "Image" ADD COLUMN     "doublyLabelled" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "labelStatus" TEXT NOT NULL DEFAULT 'unlabelled';

-- CreateIndex
CREATE INDEX "Image_projectId_labelStatus_createdAt_id_idx" ON "Image"("projectId", "labelStatus", "createdAt", "id");

-- CreateIndex
CREATE INDEX "Image_projectId_doublyLabelled_state_createdAt_id_idx" ON "Image"("projectId", "doublyLabelled", "state", "createdAt", "id");

-- DATA (issue 18): backfill Image.labelStatus from each image's annotations, as
-- lib/server/stats/annotation-rollup.ts keeps it (LABEL_STATUS_PRECEDENCE in lib/images/gallery-filters.ts):
-- the furthest of its slot-holding labellings (accepted, submitted, rejected, draft), else 'unlabelled'.
UPDATE "Image" SET "labelStatus" = (
  SELECT a."status" FROM "Annotation" a
  WHERE a."imageId" = "Image"."id" AND a."status" IN ('accepted', 'submitted', 'rejected', 'draft')
  ORDER BY CASE a."status" WHEN 'accepted' THEN 0 WHEN 'submitted' THEN 1 WHEN 'rejected' THEN 2 ELSE 3 END
  LIMIT 1)
WHERE EXISTS (
  SELECT 1 FROM "Annotation" a
  WHERE a."imageId" = "Image"."id" AND a."status" IN ('accepted', 'submitted', 'rejected', 'draft'));
-- DATA (issue 18): backfill Image.doublyLabelled: two or more independent labellings handed in (submitted or
-- accepted, gold runs excluded), as lib/server/stats/annotation-rollup.ts keeps it.
UPDATE "Image" SET "doublyLabelled" = true
WHERE (SELECT COUNT(*) FROM "Annotation" a
  WHERE a."imageId" = "Image"."id" AND a."status" IN ('submitted', 'accepted') AND a."goldScore" IS NULL) >= 2;
