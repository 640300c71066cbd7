-- AlterTable
ALTER TABLE "Review" ADD COLUMN     "returnedDoc" JSONB;

-- AlterTable
ALTER TABLE "ReviewPin" ADD COLUMN     "resolvedAt" TIMESTAMP(3),
ADD COLUMN     "resolvedById" TEXT;

-- CreateTable
CREATE TABLE "IssueReply" (
    "id" TEXT NOT NULL,
    "pinId" TEXT NOT NULL,
    "authorId" TEXT,
    "body" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "IssueReply_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "IssueReply_pinId_createdAt_idx" ON "IssueReply"("pinId", "createdAt");

-- AddForeignKey
ALTER TABLE "ReviewPin" ADD CONSTRAINT "ReviewPin_resolvedById_fkey" FOREIGN KEY ("resolvedById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "IssueReply" ADD CONSTRAINT "IssueReply_pinId_fkey" FOREIGN KEY ("pinId") REFERENCES "ReviewPin"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "IssueReply" ADD CONSTRAINT "IssueReply_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;
