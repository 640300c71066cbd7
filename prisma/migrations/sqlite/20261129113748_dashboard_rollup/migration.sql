-- AlterTable
ALTER TABLE "Annotation" ADD COLUMN "rollup" TEXT;
ALTER TABLE "Annotation" ADD COLUMN "rollupStatus" TEXT;

-- CreateTable
CREATE TABLE "AnnotationRollup" (
    "projectId" TEXT NOT NULL,
    "annotatorId" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "annotations" INTEGER NOT NULL DEFAULT 0,
    "decided" INTEGER NOT NULL DEFAULT 0,
    "returned" INTEGER NOT NULL DEFAULT 0,
    "hands" INTEGER NOT NULL DEFAULT 0,
    "activeMs" REAL NOT NULL DEFAULT 0,
    "goldCount" INTEGER NOT NULL DEFAULT 0,
    "goldSum" REAL NOT NULL DEFAULT 0,
    "assistedCount" INTEGER NOT NULL DEFAULT 0,
    "correctionSum" REAL NOT NULL DEFAULT 0,
    "anyFlagged" INTEGER NOT NULL DEFAULT 0,
    "strongFlagged" INTEGER NOT NULL DEFAULT 0,

    PRIMARY KEY ("projectId", "annotatorId", "status"),
    CONSTRAINT "AnnotationRollup_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "FlagRollup" (
    "projectId" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "severity" TEXT NOT NULL,
    "n" INTEGER NOT NULL DEFAULT 0,

    PRIMARY KEY ("projectId", "code", "severity"),
    CONSTRAINT "FlagRollup_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "Annotation_rollupStatus_status_idx" ON "Annotation"("rollupStatus", "status");
