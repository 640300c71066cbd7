-- AlterTable
ALTER TABLE "Image" ADD COLUMN     "doubleAnnotate" BOOLEAN NOT NULL DEFAULT false;
