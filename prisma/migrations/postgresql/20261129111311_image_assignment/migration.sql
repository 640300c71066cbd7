-- AlterTable
ALTER TABLE "Image" ADD COLUMN     "assignedAt" TIMESTAMP(3),
ADD COLUMN     "assignedToId" TEXT;

-- CreateIndex
CREATE INDEX "Image_projectId_assignedToId_state_createdAt_idx" ON "Image"("projectId", "assignedToId", "state", "createdAt");

-- AddForeignKey
ALTER TABLE "Image" ADD CONSTRAINT "Image_assignedToId_fkey" FOREIGN KEY ("assignedToId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;
