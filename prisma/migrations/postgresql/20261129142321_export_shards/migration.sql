-- AlterTable
ALTER TABLE "Image" ADD COLUMN     "exportCacheKey" TEXT;

-- CreateTable
CREATE TABLE "ExportShard" (
    "id" TEXT NOT NULL,
    "exportId" TEXT NOT NULL,
    "runToken" TEXT NOT NULL,
    "index" INTEGER NOT NULL,
    "items" JSONB NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'queued',
    "leaseToken" TEXT,
    "claimedBy" TEXT,
    "heartbeatAt" TIMESTAMP(3),
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "outputKey" TEXT,
    "error" TEXT,
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "ExportShard_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ExportShard_status_exportId_idx" ON "ExportShard"("status", "exportId");

-- CreateIndex
CREATE UNIQUE INDEX "ExportShard_exportId_runToken_index_key" ON "ExportShard"("exportId", "runToken", "index");

-- AddForeignKey
ALTER TABLE "ExportShard" ADD CONSTRAINT "ExportShard_exportId_fkey" FOREIGN KEY ("exportId") REFERENCES "Export"("id") ON DELETE CASCADE ON UPDATE CASCADE;
