-- Hand-written (issue 12): Image."heldSlots" changes only when a slot is actually taken or freed.
-- A status change between two slot-holding statuses on the same image (draft → submitted → accepted …) used to run
-- two updates of the image row (−1 then +1): two dead row versions, each with an entry in every Image index (the
-- partial queue index tests "heldSlots", so no update of it is HOT) and a momentary re-entry into the work queue.
-- Claims walk the queue index oldest first, so those dead entries slowed every later claim.
CREATE OR REPLACE FUNCTION "phalanx_annotation_held_slots"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  old_holds boolean := TG_OP <> 'INSERT' AND OLD."status" IN ('draft', 'submitted', 'accepted', 'rejected');
  new_holds boolean := TG_OP <> 'DELETE' AND NEW."status" IN ('draft', 'submitted', 'accepted', 'rejected');
BEGIN
  IF TG_OP = 'UPDATE' AND old_holds = new_holds AND OLD."imageId" = NEW."imageId" THEN
    RETURN NULL;
  END IF;
  IF old_holds THEN
    UPDATE "Image" SET "heldSlots" = "heldSlots" - 1 WHERE "id" = OLD."imageId";
  END IF;
  IF new_holds THEN
    UPDATE "Image" SET "heldSlots" = "heldSlots" + 1 WHERE "id" = NEW."imageId";
  END IF;
  RETURN NULL;
END $$;
