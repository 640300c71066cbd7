-- AlterTable
ALTER TABLE "Image" ADD COLUMN "agreementFacts" TEXT;
