-- AlterTable
ALTER TABLE "Image" ADD COLUMN "preAnnotation" JSONB;
