-- Hand-written (issue 18): Annotation.projectId, backfilled from the image and kept by a trigger at insert.

-- AlterTable: Annotation.projectId, copied from its image (an image never changes project)
ALTER TABLE "Annotation" ADD COLUMN "projectId" TEXT;
UPDATE "Annotation" a SET "projectId" = i."projectId" FROM "Image" i WHERE i."id" = a."imageId";

-- Every new annotation takes its image's project unless the writer gave it (bulk generators do).
CREATE FUNCTION "phalanx_annotation_project"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW."projectId" IS NULL THEN
    SELECT "projectId" INTO NEW."projectId" FROM "Image" WHERE "id" = NEW."imageId";
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER "Annotation_projectId_insert" BEFORE INSERT ON "Annotation"
FOR EACH ROW EXECUTE FUNCTION "phalanx_annotation_project"();

-- CreateIndex
CREATE INDEX "Annotation_projectId_createdAt_id_idx" ON "Annotation"("projectId", "createdAt", "id");

-- CreateIndex
CREATE INDEX "Annotation_projectId_status_createdAt_id_idx" ON "Annotation"("projectId", "status", "createdAt", "id");

-- CreateIndex
CREATE INDEX "Annotation_projectId_annotatorId_createdAt_id_idx" ON "Annotation"("projectId", "annotatorId", "createdAt", "id");
