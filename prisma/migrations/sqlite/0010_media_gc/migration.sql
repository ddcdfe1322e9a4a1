-- AlterTable
ALTER TABLE "MediaAsset" ADD COLUMN "unusedSince" DATETIME;

-- CreateIndex
CREATE INDEX "MediaAsset_unusedSince_idx" ON "MediaAsset"("unusedSince");

