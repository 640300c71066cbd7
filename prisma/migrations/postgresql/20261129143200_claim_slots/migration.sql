-- AlterTable
ALTER TABLE "Image" ADD COLUMN     "slotCap" INTEGER NOT NULL DEFAULT 1;

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
