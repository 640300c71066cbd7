-- AlterTable
ALTER TABLE "Image" ADD COLUMN     "heldSlots" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "queueHeld" INTEGER;

-- CreateTable
CREATE TABLE "QueueRollup" (
    "projectId" TEXT NOT NULL,
    "doubleAnnotate" BOOLEAN NOT NULL,
    "held" INTEGER NOT NULL,
    "images" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "QueueRollup_pkey" PRIMARY KEY ("projectId","doubleAnnotate","held")
);

-- CreateIndex
CREATE INDEX "Image_projectId_state_queueHeld_idx" ON "Image"("projectId", "state", "queueHeld");

-- AddForeignKey
ALTER TABLE "QueueRollup" ADD CONSTRAINT "QueueRollup_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE CASCADE ON UPDATE CASCADE;
