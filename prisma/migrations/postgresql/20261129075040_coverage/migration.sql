-- AlterTable
ALTER TABLE "Project" ADD COLUMN     "queueCoverageFirst" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "Hand" ADD COLUMN     "coverageStage" TEXT,
ADD COLUMN     "imageFlagKey" TEXT,
ADD COLUMN     "imageId" TEXT,
ADD COLUMN     "occlusionBand" TEXT,
ADD COLUMN     "projectId" TEXT,
ADD COLUMN     "subjectId" TEXT;

-- CreateTable
CREATE TABLE "CoverageTarget" (
    "id" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "value" DOUBLE PRECISION NOT NULL,
    "cell" JSONB NOT NULL,
    "each" TEXT,
    "createdById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "CoverageTarget_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "CoverageTarget_projectId_idx" ON "CoverageTarget"("projectId");

-- CreateIndex
CREATE INDEX "Hand_projectId_coverageStage_skinTone_gesture_view_interact_idx" ON "Hand"("projectId", "coverageStage", "skinTone", "gesture", "view", "interaction", "createdAt");

-- CreateIndex
CREATE INDEX "Hand_projectId_coverageStage_handedness_occlusionBand_trunc_idx" ON "Hand"("projectId", "coverageStage", "handedness", "occlusionBand", "truncated", "imageFlagKey", "createdAt");

-- CreateIndex
CREATE INDEX "Hand_projectId_coverageStage_subjectId_createdAt_idx" ON "Hand"("projectId", "coverageStage", "subjectId", "createdAt");

-- AddForeignKey
ALTER TABLE "CoverageTarget" ADD CONSTRAINT "CoverageTarget_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE CASCADE ON UPDATE CASCADE;
