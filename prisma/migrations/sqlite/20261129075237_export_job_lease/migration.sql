-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Export" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "projectId" TEXT NOT NULL,
    "requestedById" TEXT,
    "status" TEXT NOT NULL DEFAULT 'queued',
    "options" JSONB NOT NULL,
    "unblurred" BOOLEAN NOT NULL DEFAULT false,
    "unblurredReason" TEXT,
    "progress" REAL NOT NULL DEFAULT 0,
    "manifest" JSONB,
    "archiveKey" TEXT,
    "error" TEXT,
    "claimedBy" TEXT,
    "claimedAt" DATETIME,
    "leaseToken" TEXT,
    "heartbeatAt" DATETIME,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "finishedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Export_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Export_requestedById_fkey" FOREIGN KEY ("requestedById") REFERENCES "User" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_Export" ("archiveKey", "claimedAt", "claimedBy", "createdAt", "error", "finishedAt", "id", "manifest", "options", "progress", "projectId", "requestedById", "status", "unblurred", "unblurredReason") SELECT "archiveKey", "claimedAt", "claimedBy", "createdAt", "error", "finishedAt", "id", "manifest", "options", "progress", "projectId", "requestedById", "status", "unblurred", "unblurredReason" FROM "Export";
DROP TABLE "Export";
ALTER TABLE "new_Export" RENAME TO "Export";
CREATE INDEX "Export_status_idx" ON "Export"("status");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
