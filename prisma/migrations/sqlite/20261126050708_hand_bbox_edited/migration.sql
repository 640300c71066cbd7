-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Hand" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "annotationId" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "handedness" TEXT NOT NULL DEFAULT 'unknown',
    "keypoints" JSONB NOT NULL,
    "bbox" JSONB,
    "bboxEdited" BOOLEAN NOT NULL DEFAULT false,
    "gesture" TEXT,
    "view" TEXT,
    "interaction" TEXT NOT NULL DEFAULT 'none',
    "truncated" BOOLEAN NOT NULL DEFAULT false,
    "skinTone" INTEGER,
    "attributes" JSONB NOT NULL,
    "qualityFlags" JSONB NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Hand_annotationId_fkey" FOREIGN KEY ("annotationId") REFERENCES "Annotation" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_Hand" ("annotationId", "attributes", "bbox", "createdAt", "gesture", "handedness", "id", "interaction", "keypoints", "position", "qualityFlags", "skinTone", "truncated", "updatedAt", "view") SELECT "annotationId", "attributes", "bbox", "createdAt", "gesture", "handedness", "id", "interaction", "keypoints", "position", "qualityFlags", "skinTone", "truncated", "updatedAt", "view" FROM "Hand";
DROP TABLE "Hand";
ALTER TABLE "new_Hand" RENAME TO "Hand";
CREATE UNIQUE INDEX "Hand_annotationId_position_key" ON "Hand"("annotationId", "position");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
