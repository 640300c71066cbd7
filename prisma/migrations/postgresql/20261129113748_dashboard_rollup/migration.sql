-- AlterTable
ALTER TABLE "Annotation" ADD COLUMN     "rollup" TEXT,
ADD COLUMN     "rollupStatus" TEXT;

-- CreateTable
CREATE TABLE "AnnotationRollup" (
    "projectId" TEXT NOT NULL,
    "annotatorId" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "annotations" INTEGER NOT NULL DEFAULT 0,
    "decided" INTEGER NOT NULL DEFAULT 0,
    "returned" INTEGER NOT NULL DEFAULT 0,
    "hands" INTEGER NOT NULL DEFAULT 0,
    "activeMs" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "goldCount" INTEGER NOT NULL DEFAULT 0,
    "goldSum" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "assistedCount" INTEGER NOT NULL DEFAULT 0,
    "correctionSum" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "anyFlagged" INTEGER NOT NULL DEFAULT 0,
    "strongFlagged" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "AnnotationRollup_pkey" PRIMARY KEY ("projectId","annotatorId","status")
);

-- CreateTable
CREATE TABLE "FlagRollup" (
    "projectId" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "severity" TEXT NOT NULL,
    "n" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "FlagRollup_pkey" PRIMARY KEY ("projectId","code","severity")
);

-- CreateIndex
CREATE INDEX "Annotation_rollupStatus_status_idx" ON "Annotation"("rollupStatus", "status");

-- AddForeignKey
ALTER TABLE "AnnotationRollup" ADD CONSTRAINT "AnnotationRollup_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "FlagRollup" ADD CONSTRAINT "FlagRollup_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE CASCADE ON UPDATE CASCADE;
