-- AlterTable
ALTER TABLE "Image" ADD COLUMN     "doublyLabelled" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "exportCacheKey" TEXT,
ADD COLUMN     "labelStatus" TEXT NOT NULL DEFAULT 'unlabelled',
ADD COLUMN     "slotCap" INTEGER NOT NULL DEFAULT 1;

-- CreateTable
CREATE TABLE "ExportShard" (
    "id" TEXT NOT NULL,
    "exportId" TEXT NOT NULL,
    "runToken" TEXT NOT NULL,
    "index" INTEGER NOT NULL,
    "items" JSONB NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'queued',
    "leaseToken" TEXT,
    "claimedBy" TEXT,
    "heartbeatAt" TIMESTAMP(3),
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "outputKey" TEXT,
    "error" TEXT,
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "ExportShard_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ExportShard_status_exportId_idx" ON "ExportShard"("status", "exportId");

-- CreateIndex
CREATE UNIQUE INDEX "ExportShard_exportId_runToken_index_key" ON "ExportShard"("exportId", "runToken", "index");

-- CreateIndex
CREATE INDEX "Image_projectId_labelStatus_createdAt_id_idx" ON "Image"("projectId", "labelStatus", "createdAt", "id");

-- CreateIndex
CREATE INDEX "Image_projectId_doublyLabelled_state_createdAt_id_idx" ON "Image"("projectId", "doublyLabelled", "state", "createdAt", "id");

-- AddForeignKey
ALTER TABLE "ExportShard" ADD CONSTRAINT "ExportShard_exportId_fkey" FOREIGN KEY ("exportId") REFERENCES "Export"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- ===== Hand-written (issue 12, claims at scale): triggers, the queue's partial index and the backfill. =====
-- Image."heldSlots" counts the image's slot-holding annotations (lib/annotate/status.ts SLOT_HOLDING_STATUSES:
-- draft, submitted, accepted, rejected) and Image."slotCap" the annotations it takes (the project's
-- annotationsPerImage, at least two when doubleAnnotate). Triggers keep both in the writing transaction, so the
-- claim finds the next image through one partial index instead of counting annotations image after image, and
-- a claim's write to the image row makes a concurrent claim that locks the row next re-check "heldSlots" <
-- "slotCap" on the new row version (READ COMMITTED re-evaluation): one statement per claim stays exact.
-- Increments, not recounts: a recount's snapshot may miss a concurrent claim committed meanwhile.
CREATE FUNCTION "phalanx_annotation_held_slots"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN
    IF OLD."status" IN ('draft', 'submitted', 'accepted', 'rejected') THEN
      UPDATE "Image" SET "heldSlots" = "heldSlots" - 1 WHERE "id" = OLD."imageId";
    END IF;
  END IF;
  IF TG_OP <> 'DELETE' THEN
    IF NEW."status" IN ('draft', 'submitted', 'accepted', 'rejected') THEN
      UPDATE "Image" SET "heldSlots" = "heldSlots" + 1 WHERE "id" = NEW."imageId";
    END IF;
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER "Annotation_heldSlots_insert_delete" AFTER INSERT OR DELETE ON "Annotation"
FOR EACH ROW EXECUTE FUNCTION "phalanx_annotation_held_slots"();
CREATE TRIGGER "Annotation_heldSlots_update" AFTER UPDATE OF "status", "imageId" ON "Annotation"
FOR EACH ROW WHEN (OLD."status" IS DISTINCT FROM NEW."status" OR OLD."imageId" IS DISTINCT FROM NEW."imageId")
EXECUTE FUNCTION "phalanx_annotation_held_slots"();
CREATE FUNCTION "phalanx_image_slot_cap"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW."slotCap" := (SELECT GREATEST(p."annotationsPerImage", CASE WHEN NEW."doubleAnnotate" THEN 2 ELSE 1 END)
                    FROM "Project" p WHERE p."id" = NEW."projectId");
  RETURN NEW;
END $$;
CREATE TRIGGER "Image_slotCap" BEFORE INSERT OR UPDATE OF "doubleAnnotate", "projectId" ON "Image"
FOR EACH ROW EXECUTE FUNCTION "phalanx_image_slot_cap"();
CREATE FUNCTION "phalanx_project_slot_cap"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "Image" SET "slotCap" = GREATEST(NEW."annotationsPerImage", CASE WHEN "doubleAnnotate" THEN 2 ELSE 1 END)
  WHERE "projectId" = NEW."id";
  RETURN NULL;
END $$;
CREATE TRIGGER "Project_slotCap_update" AFTER UPDATE OF "annotationsPerImage" ON "Project"
FOR EACH ROW WHEN (OLD."annotationsPerImage" IS DISTINCT FROM NEW."annotationsPerImage")
EXECUTE FUNCTION "phalanx_project_slot_cap"();
-- The work queue: active images with a free slot, oldest first (lib/server/queue/claim-next-image.ts).
CREATE INDEX "Image_queue_idx" ON "Image"("projectId", "createdAt", "id") WHERE "state" = 'active' AND "heldSlots" < "slotCap";
-- Data: both columns as the triggers would have kept them.
UPDATE "Image" SET
  "heldSlots" = (SELECT COUNT(*) FROM "Annotation" a WHERE a."imageId" = "Image"."id"
                 AND a."status" IN ('draft', 'submitted', 'accepted', 'rejected')),
  "slotCap" = (SELECT GREATEST(p."annotationsPerImage", CASE WHEN "Image"."doubleAnnotate" THEN 2 ELSE 1 END)
               FROM "Project" p WHERE p."id" = "Image"."projectId");

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
