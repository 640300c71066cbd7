-- AlterTable
ALTER TABLE "Export" ADD COLUMN     "archivePurgedAt" TIMESTAMP(3),
ADD COLUMN     "revokedAt" TIMESTAMP(3),
ADD COLUMN     "revokedReason" TEXT,
ADD COLUMN     "supersedesId" TEXT;

-- CreateTable
CREATE TABLE "PendingObject" (
    "key" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PendingObject_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE INDEX "PendingObject_createdAt_idx" ON "PendingObject"("createdAt");

-- CreateIndex
CREATE INDEX "Export_supersedesId_idx" ON "Export"("supersedesId");

-- AddForeignKey
ALTER TABLE "Export" ADD CONSTRAINT "Export_supersedesId_fkey" FOREIGN KEY ("supersedesId") REFERENCES "Export"("id") ON DELETE SET NULL ON UPDATE CASCADE;
