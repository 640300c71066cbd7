-- Hand-written (issue 18): the column added in place (redefining Annotation would drop the slot triggers of
-- the wave 4 migration), backfilled from the image and kept by a trigger at insert.

-- AlterTable: Annotation.projectId, copied from its image (an image never changes project)
ALTER TABLE "Annotation" ADD COLUMN "projectId" TEXT;
UPDATE "Annotation" SET "projectId" = (SELECT i."projectId" FROM "Image" i WHERE i."id" = "Annotation"."imageId");

-- Every new annotation takes its image's project unless the writer gave it (bulk generators do).
CREATE TRIGGER "Annotation_projectId_insert" AFTER INSERT ON "Annotation"
WHEN NEW."projectId" IS NULL
BEGIN
  UPDATE "Annotation" SET "projectId" = (SELECT "projectId" FROM "Image" WHERE "id" = NEW."imageId") WHERE "id" = NEW."id";
END;

-- CreateIndex
CREATE INDEX "Annotation_projectId_createdAt_id_idx" ON "Annotation"("projectId", "createdAt", "id");

-- CreateIndex
CREATE INDEX "Annotation_projectId_status_createdAt_id_idx" ON "Annotation"("projectId", "status", "createdAt", "id");

-- CreateIndex
CREATE INDEX "Annotation_projectId_annotatorId_createdAt_id_idx" ON "Annotation"("projectId", "annotatorId", "createdAt", "id");
