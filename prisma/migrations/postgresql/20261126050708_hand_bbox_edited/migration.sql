-- AlterTable
ALTER TABLE "Hand" ADD COLUMN     "bboxEdited" BOOLEAN NOT NULL DEFAULT false;
