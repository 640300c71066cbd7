-- AlterTable
ALTER TABLE "Annotation" ADD COLUMN     "strongFlagged" BOOLEAN NOT NULL DEFAULT false;

-- CreateIndex
CREATE INDEX "Annotation_status_strongFlagged_submittedAt_idx" ON "Annotation"("status", "strongFlagged", "submittedAt");

-- Backfill: work already holding a strong quality flag goes first in the review queue too.
UPDATE "Annotation" SET "strongFlagged" = true
WHERE jsonb_typeof("qualityFlags") = 'array'
  AND EXISTS (SELECT 1 FROM jsonb_array_elements("qualityFlags") f WHERE f->>'severity' = 'strong');
