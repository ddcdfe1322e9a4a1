-- CreateEnum
CREATE TYPE "UploadPurpose" AS ENUM ('LESSON_VIDEO', 'LESSON_SLIDES', 'COURSE_COVER');

-- CreateEnum
CREATE TYPE "UploadStatus" AS ENUM ('RECEIVING', 'PROCESSING', 'REFUSED');

-- AlterTable
ALTER TABLE "MediaAsset" ADD COLUMN     "pageCount" INTEGER;

-- CreateTable
CREATE TABLE "MediaUpload" (
    "id" TEXT NOT NULL,
    "purpose" "UploadPurpose" NOT NULL,
    "storage" "MediaStorage" NOT NULL DEFAULT 'LOCAL',
    "status" "UploadStatus" NOT NULL DEFAULT 'RECEIVING',
    "courseId" TEXT NOT NULL,
    "lessonId" TEXT,
    "fileName" TEXT NOT NULL,
    "sizeBytes" DOUBLE PRECISION NOT NULL,
    "receivedBytes" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "muxUploadId" TEXT,
    "muxAssetId" TEXT,
    "refusal" TEXT,
    "createdById" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "MediaUpload_pkey" PRIMARY KEY ("id")
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

-- AddForeignKey
ALTER TABLE "MediaUpload" ADD CONSTRAINT "MediaUpload_courseId_fkey" FOREIGN KEY ("courseId") REFERENCES "Course"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MediaUpload" ADD CONSTRAINT "MediaUpload_lessonId_fkey" FOREIGN KEY ("lessonId") REFERENCES "Lesson"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MediaUpload" ADD CONSTRAINT "MediaUpload_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

