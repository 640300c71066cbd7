-- CreateIndex
CREATE INDEX "Image_projectId_originalFilename_idx" ON "Image"("projectId", "originalFilename");
