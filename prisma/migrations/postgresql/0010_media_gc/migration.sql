-- AlterTable
ALTER TABLE "MediaAsset" ADD COLUMN     "unusedSince" TIMESTAMP(3);

-- CreateIndex
CREATE INDEX "MediaAsset_unusedSince_idx" ON "MediaAsset"("unusedSince");

