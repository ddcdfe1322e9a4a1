-- CreateEnum
CREATE TYPE "TrainingSource" AS ENUM ('ONLINE', 'IMPORT', 'MANUAL');

-- AlterTable
ALTER TABLE "TrainingRecord" ADD COLUMN     "completionId" TEXT,
ADD COLUMN     "enteredById" TEXT,
ADD COLUMN     "entryReason" TEXT,
ADD COLUMN     "evidence" TEXT,
ADD COLUMN     "importId" TEXT,
ADD COLUMN     "importRow" INTEGER,
ADD COLUMN     "source" "TrainingSource",
ADD COLUMN     "voidReason" TEXT,
ADD COLUMN     "voidedAt" TIMESTAMP(3),
ADD COLUMN     "voidedById" TEXT;

-- Records made before provenance was kept: an online record whose person's
-- account finished that course came from the completion; any other came from
-- a training file (no manual entry existed).
UPDATE "TrainingRecord" t SET "source" = 'ONLINE', "completionId" = cc."id"
  FROM "RosterPerson" p, "Course" c, "CourseCompletion" cc
 WHERE p."id" = t."personId" AND t."mode" = 'ONLINE' AND lower(c."code") = t."courseCode"
   AND cc."courseId" = c."id" AND cc."userId" = p."userId";
UPDATE "TrainingRecord" SET "source" = 'IMPORT' WHERE "source" IS NULL;
ALTER TABLE "TrainingRecord" ALTER COLUMN "source" SET NOT NULL;

-- AlterTable
ALTER TABLE "CoverageFact" DROP CONSTRAINT "CoverageFact_pkey",
ADD COLUMN     "segment" INTEGER NOT NULL DEFAULT 0,
ADD CONSTRAINT "CoverageFact_pkey" PRIMARY KEY ("membershipId", "ruleId", "segment");

-- CreateIndex
CREATE INDEX "TrainingRecord_completionId_idx" ON "TrainingRecord"("completionId");

-- CreateIndex
CREATE INDEX "TrainingRecord_importId_idx" ON "TrainingRecord"("importId");

-- AddForeignKey
ALTER TABLE "TrainingRecord" ADD CONSTRAINT "TrainingRecord_completionId_fkey" FOREIGN KEY ("completionId") REFERENCES "CourseCompletion"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TrainingRecord" ADD CONSTRAINT "TrainingRecord_importId_fkey" FOREIGN KEY ("importId") REFERENCES "DataImport"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TrainingRecord" ADD CONSTRAINT "TrainingRecord_enteredById_fkey" FOREIGN KEY ("enteredById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TrainingRecord" ADD CONSTRAINT "TrainingRecord_voidedById_fkey" FOREIGN KEY ("voidedById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

