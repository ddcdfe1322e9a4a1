-- AlterTable
ALTER TABLE "RosterPerson" ADD COLUMN "sourceHash" TEXT;

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

    PRIMARY KEY ("membershipId", "ruleId"),
    CONSTRAINT "CoverageFact_ruleId_fkey" FOREIGN KEY ("ruleId") REFERENCES "TargetGroupRule" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "CoverageFact_membershipId_fkey" FOREIGN KEY ("membershipId") REFERENCES "GroupMembership" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_DataImport" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "kind" TEXT NOT NULL,
    "fileName" TEXT NOT NULL,
    "strict" BOOLEAN NOT NULL DEFAULT false,
    "status" TEXT NOT NULL DEFAULT 'RUNNING',
    "totalRows" INTEGER NOT NULL DEFAULT 0,
    "processedRows" INTEGER NOT NULL DEFAULT 0,
    "acceptedRows" INTEGER NOT NULL DEFAULT 0,
    "rejectedRows" INTEGER NOT NULL DEFAULT 0,
    "createdRows" INTEGER NOT NULL DEFAULT 0,
    "updatedRows" INTEGER NOT NULL DEFAULT 0,
    "unchangedRows" INTEGER NOT NULL DEFAULT 0,
    "rejects" TEXT NOT NULL DEFAULT '[]',
    "message" TEXT,
    "createdById" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" DATETIME,
    CONSTRAINT "DataImport_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_DataImport" ("acceptedRows", "createdAt", "createdById", "fileName", "finishedAt", "id", "kind", "message", "processedRows", "rejectedRows", "rejects", "status", "strict", "totalRows") SELECT "acceptedRows", "createdAt", "createdById", "fileName", "finishedAt", "id", "kind", "message", "processedRows", "rejectedRows", "rejects", "status", "strict", "totalRows" FROM "DataImport";
DROP TABLE "DataImport";
ALTER TABLE "new_DataImport" RENAME TO "DataImport";
CREATE INDEX "DataImport_kind_createdAt_idx" ON "DataImport"("kind", "createdAt");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "CoverageFact_ruleId_provinceId_joinedDay_leftDay_qualifiedDay_joinedMonth_trainedMonth_leftMonth_idx" ON "CoverageFact"("ruleId", "provinceId", "joinedDay", "leftDay", "qualifiedDay", "joinedMonth", "trainedMonth", "leftMonth");

-- CreateIndex
CREATE INDEX "CoverageFact_ruleId_agencyId_joinedDay_leftDay_qualifiedDay_idx" ON "CoverageFact"("ruleId", "agencyId", "joinedDay", "leftDay", "qualifiedDay");

