-- AlterTable
ALTER TABLE "Annotation" ADD COLUMN "modelCorrectionPx" REAL;
