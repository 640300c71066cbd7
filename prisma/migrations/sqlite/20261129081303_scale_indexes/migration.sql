-- CreateIndex
CREATE INDEX "Image_projectId_createdAt_id_idx" ON "Image"("projectId", "createdAt", "id");

-- CreateIndex
CREATE INDEX "Image_subjectId_createdAt_id_idx" ON "Image"("subjectId", "createdAt", "id");

-- CreateIndex
CREATE INDEX "Image_subjectId_state_idx" ON "Image"("subjectId", "state");

-- CreateIndex
CREATE INDEX "Annotation_imageId_status_idx" ON "Annotation"("imageId", "status");

-- CreateIndex
CREATE INDEX "Annotation_status_submittedAt_idx" ON "Annotation"("status", "submittedAt");

-- CreateIndex
CREATE INDEX "Review_reviewerId_decision_idx" ON "Review"("reviewerId", "decision");

-- CreateIndex
CREATE INDEX "Review_decision_leaseExpiresAt_idx" ON "Review"("decision", "leaseExpiresAt");

-- CreateIndex
CREATE INDEX "ReviewPin_reviewId_idx" ON "ReviewPin"("reviewId");

-- CreateIndex
CREATE INDEX "AuditEvent_targetId_at_idx" ON "AuditEvent"("targetId", "at");

-- CreateIndex
CREATE INDEX "Export_projectId_createdAt_idx" ON "Export"("projectId", "createdAt");
