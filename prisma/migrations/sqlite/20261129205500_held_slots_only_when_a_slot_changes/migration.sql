-- Hand-written (issue 12): Image."heldSlots" changes only when a slot is actually taken or freed.
-- A status change between two slot-holding statuses on the same image (draft → submitted → accepted …) used to run
-- two updates of the image row (−1 then +1) and briefly put the image back in the work queue's partial index.
DROP TRIGGER "Annotation_heldSlots_update";
CREATE TRIGGER "Annotation_heldSlots_update" AFTER UPDATE OF "status", "imageId" ON "Annotation"
WHEN OLD."imageId" IS NOT NEW."imageId"
  OR (OLD."status" IN ('draft', 'submitted', 'accepted', 'rejected')) <> (NEW."status" IN ('draft', 'submitted', 'accepted', 'rejected'))
BEGIN
  UPDATE "Image" SET "heldSlots" = "heldSlots" - 1
  WHERE "id" = OLD."imageId" AND OLD."status" IN ('draft', 'submitted', 'accepted', 'rejected');
  UPDATE "Image" SET "heldSlots" = "heldSlots" + 1
  WHERE "id" = NEW."imageId" AND NEW."status" IN ('draft', 'submitted', 'accepted', 'rejected');
END;
