-- AlterTable
ALTER TABLE "MediaAsset" ADD COLUMN "pageCount" INTEGER;

-- CreateTable
CREATE TABLE "MediaUpload" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "purpose" TEXT NOT NULL,
    "storage" TEXT NOT NULL DEFAULT 'LOCAL',
    "status" TEXT NOT NULL DEFAULT 'RECEIVING',
    "courseId" TEXT NOT NULL,
    "lessonId" TEXT,
    "fileName" TEXT NOT NULL,
    "sizeBytes" REAL NOT NULL,
    "receivedBytes" REAL NOT NULL DEFAULT 0,
    "muxUploadId" TEXT,
    "muxAssetId" TEXT,
    "refusal" TEXT,
    "createdById" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "MediaUpload_courseId_fkey" FOREIGN KEY ("courseId") REFERENCES "Course" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "MediaUpload_lessonId_fkey" FOREIGN KEY ("lessonId") REFERENCES "Lesson" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "MediaUpload_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "MediaUpload_muxUploadId_key" ON "MediaUpload"("muxUploadId");

-- CreateIndex
CREATE UNIQUE INDEX "MediaUpload_muxAssetId_key" ON "MediaUpload"("muxAssetId");

-- CreateIndex
CREATE INDEX "MediaUpload_lessonId_createdAt_idx" ON "MediaUpload"("lessonId", "createdAt");

-- CreateIndex
CREATE INDEX "MediaUpload_courseId_idx" ON "MediaUpload"("courseId");

-- CreateIndex
CREATE INDEX "MediaUpload_status_updatedAt_idx" ON "MediaUpload"("status", "updatedAt");

