-- AlterTable
ALTER TABLE "CourseCompletion" ADD COLUMN     "revokedAt" TIMESTAMP(3),
ADD COLUMN     "revokedById" TEXT,
ADD COLUMN     "revokedReason" TEXT,
ADD COLUMN     "statusIndex" INTEGER;

-- CreateIndex
CREATE UNIQUE INDEX "CourseCompletion_statusIndex_key" ON "CourseCompletion"("statusIndex");

-- AddForeignKey
ALTER TABLE "CourseCompletion" ADD CONSTRAINT "CourseCompletion_revokedById_fkey" FOREIGN KEY ("revokedById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

