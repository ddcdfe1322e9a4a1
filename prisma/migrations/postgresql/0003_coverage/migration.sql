-- AlterTable
ALTER TABLE "RosterPerson" ADD COLUMN     "sourceHash" TEXT;

-- AlterTable
ALTER TABLE "DataImport" ADD COLUMN     "createdRows" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "unchangedRows" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "updatedRows" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "CoverageFact" (
    "ruleId" TEXT NOT NULL,
    "membershipId" TEXT NOT NULL,
    "groupId" TEXT NOT NULL,
    "personId" TEXT NOT NULL,
    "provinceId" TEXT,
    "formerProvinceId" TEXT,
    "agencyId" TEXT,
    "joinedDay" INTEGER,
    "leftDay" INTEGER,
    "qualifiedDay" INTEGER,
    "joinedMonth" INTEGER,
    "leftMonth" INTEGER,
    "trainedMonth" INTEGER,

    CONSTRAINT "CoverageFact_pkey" PRIMARY KEY ("membershipId","ruleId")
);

-- CreateIndex
CREATE INDEX "CoverageFact_ruleId_provinceId_joinedDay_leftDay_qualifiedD_idx" ON "CoverageFact"("ruleId", "provinceId", "joinedDay", "leftDay", "qualifiedDay", "joinedMonth", "trainedMonth", "leftMonth");

-- CreateIndex
CREATE INDEX "CoverageFact_ruleId_agencyId_joinedDay_leftDay_qualifiedDay_idx" ON "CoverageFact"("ruleId", "agencyId", "joinedDay", "leftDay", "qualifiedDay");

-- AddForeignKey
ALTER TABLE "CoverageFact" ADD CONSTRAINT "CoverageFact_ruleId_fkey" FOREIGN KEY ("ruleId") REFERENCES "TargetGroupRule"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CoverageFact" ADD CONSTRAINT "CoverageFact_membershipId_fkey" FOREIGN KEY ("membershipId") REFERENCES "GroupMembership"("id") ON DELETE CASCADE ON UPDATE CASCADE;

