-- CreateTable
CREATE TABLE "QueueRollup" (
    "projectId" TEXT NOT NULL,
    "doubleAnnotate" BOOLEAN NOT NULL,
    "held" INTEGER NOT NULL,
    "images" INTEGER NOT NULL DEFAULT 0,

    PRIMARY KEY ("projectId", "doubleAnnotate", "held"),
    CONSTRAINT "QueueRollup_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Image" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "projectId" TEXT NOT NULL,
    "subjectId" TEXT NOT NULL,
    "originalKey" TEXT,
    "displayKey" TEXT,
    "thumbKey" TEXT,
    "sha256" TEXT NOT NULL,
    "byteSize" INTEGER NOT NULL,
    "mimeType" TEXT NOT NULL,
    "width" INTEGER NOT NULL,
    "height" INTEGER NOT NULL,
    "originalFilename" TEXT NOT NULL DEFAULT '',
    "metadata" JSONB NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'active',
    "doubleAnnotate" BOOLEAN NOT NULL DEFAULT false,
    "preAnnotation" JSONB,
    "purgedAt" DATETIME,
    "uploadedById" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "heldSlots" INTEGER NOT NULL DEFAULT 0,
    "queueHeld" INTEGER,
    CONSTRAINT "Image_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Image_subjectId_fkey" FOREIGN KEY ("subjectId") REFERENCES "Subject" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Image_uploadedById_fkey" FOREIGN KEY ("uploadedById") REFERENCES "User" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_Image" ("byteSize", "createdAt", "displayKey", "doubleAnnotate", "height", "id", "metadata", "mimeType", "originalFilename", "originalKey", "preAnnotation", "projectId", "purgedAt", "sha256", "state", "subjectId", "thumbKey", "uploadedById", "width") SELECT "byteSize", "createdAt", "displayKey", "doubleAnnotate", "height", "id", "metadata", "mimeType", "originalFilename", "originalKey", "preAnnotation", "projectId", "purgedAt", "sha256", "state", "subjectId", "thumbKey", "uploadedById", "width" FROM "Image";
DROP TABLE "Image";
ALTER TABLE "new_Image" RENAME TO "Image";
CREATE INDEX "Image_subjectId_idx" ON "Image"("subjectId");
CREATE INDEX "Image_projectId_state_createdAt_idx" ON "Image"("projectId", "state", "createdAt");
CREATE INDEX "Image_projectId_createdAt_id_idx" ON "Image"("projectId", "createdAt", "id");
CREATE INDEX "Image_subjectId_createdAt_id_idx" ON "Image"("subjectId", "createdAt", "id");
CREATE INDEX "Image_subjectId_state_idx" ON "Image"("subjectId", "state");
CREATE INDEX "Image_projectId_state_queueHeld_idx" ON "Image"("projectId", "state", "queueHeld");
CREATE UNIQUE INDEX "Image_projectId_sha256_key" ON "Image"("projectId", "sha256");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
