-- AlterTable
ALTER TABLE "Review" ADD COLUMN "returnedDoc" JSONB;

-- CreateTable
CREATE TABLE "IssueReply" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "pinId" TEXT NOT NULL,
    "authorId" TEXT,
    "body" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "IssueReply_pinId_fkey" FOREIGN KEY ("pinId") REFERENCES "ReviewPin" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "IssueReply_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_ReviewPin" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "reviewId" TEXT NOT NULL,
    "x" REAL NOT NULL,
    "y" REAL NOT NULL,
    "handIndex" INTEGER,
    "jointIndex" INTEGER,
    "message" TEXT NOT NULL,
    "resolvedAt" DATETIME,
    "resolvedById" TEXT,
    CONSTRAINT "ReviewPin_reviewId_fkey" FOREIGN KEY ("reviewId") REFERENCES "Review" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "ReviewPin_resolvedById_fkey" FOREIGN KEY ("resolvedById") REFERENCES "User" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_ReviewPin" ("handIndex", "id", "jointIndex", "message", "reviewId", "x", "y") SELECT "handIndex", "id", "jointIndex", "message", "reviewId", "x", "y" FROM "ReviewPin";
DROP TABLE "ReviewPin";
ALTER TABLE "new_ReviewPin" RENAME TO "ReviewPin";
CREATE INDEX "ReviewPin_reviewId_idx" ON "ReviewPin"("reviewId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "IssueReply_pinId_createdAt_idx" ON "IssueReply"("pinId", "createdAt");
