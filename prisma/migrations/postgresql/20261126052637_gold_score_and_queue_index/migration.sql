-- AlterTable
ALTER TABLE "Annotation" ADD COLUMN     "goldScore" DOUBLE PRECISION;

-- CreateIndex
CREATE INDEX "Image_projectId_state_createdAt_idx" ON "Image"("projectId", "state", "createdAt");
