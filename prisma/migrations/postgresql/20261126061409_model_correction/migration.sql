-- AlterTable
ALTER TABLE "Annotation" ADD COLUMN     "modelCorrectionPx" DOUBLE PRECISION;
