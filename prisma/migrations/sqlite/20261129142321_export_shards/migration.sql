-- AlterTable
ALTER TABLE "Image" ADD COLUMN "exportCacheKey" TEXT;

-- CreateTable
CREATE TABLE "ExportShard" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "exportId" TEXT NOT NULL,
    "runToken" TEXT NOT NULL,
    "index" INTEGER NOT NULL,
    "items" JSONB NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'queued',
    "leaseToken" TEXT,
    "claimedBy" TEXT,
    "heartbeatAt" DATETIME,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "outputKey" TEXT,
    "error" TEXT,
    "finishedAt" DATETIME,
    CONSTRAINT "ExportShard_exportId_fkey" FOREIGN KEY ("exportId") REFERENCES "Export" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "ExportShard_status_exportId_idx" ON "ExportShard"("status", "exportId");

-- CreateIndex
CREATE UNIQUE INDEX "ExportShard_exportId_runToken_index_key" ON "ExportShard"("exportId", "runToken", "index");
