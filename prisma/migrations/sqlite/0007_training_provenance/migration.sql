-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_TrainingRecord" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "personId" TEXT NOT NULL,
    "courseCode" TEXT NOT NULL,
    "completedOn" DATETIME NOT NULL,
    "mode" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "source" TEXT NOT NULL,
    "completionId" TEXT,
    "evidence" TEXT,
    "importId" TEXT,
    "importRow" INTEGER,
    "enteredById" TEXT,
    "entryReason" TEXT,
    "voidedAt" DATETIME,
    "voidedById" TEXT,
    "voidReason" TEXT,
    CONSTRAINT "TrainingRecord_personId_fkey" FOREIGN KEY ("personId") REFERENCES "RosterPerson" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "TrainingRecord_completionId_fkey" FOREIGN KEY ("completionId") REFERENCES "CourseCompletion" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "TrainingRecord_importId_fkey" FOREIGN KEY ("importId") REFERENCES "DataImport" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "TrainingRecord_enteredById_fkey" FOREIGN KEY ("enteredById") REFERENCES "User" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "TrainingRecord_voidedById_fkey" FOREIGN KEY ("voidedById") REFERENCES "User" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
-- Records made before provenance was kept: an online record whose person's
-- account finished that course came from the completion; any other came from
-- a training file (no manual entry existed).
INSERT INTO "new_TrainingRecord" ("completedOn", "courseCode", "createdAt", "id", "mode", "personId", "source", "completionId")
SELECT t."completedOn", t."courseCode", t."createdAt", t."id", t."mode", t."personId",
       CASE WHEN cc."id" IS NULL THEN 'IMPORT' ELSE 'ONLINE' END, cc."id"
  FROM "TrainingRecord" t
  LEFT JOIN "RosterPerson" p ON p."id" = t."personId"
  LEFT JOIN "Course" c ON lower(c."code") = t."courseCode" AND t."mode" = 'ONLINE'
  LEFT JOIN "CourseCompletion" cc ON cc."courseId" = c."id" AND cc."userId" = p."userId";
DROP TABLE "TrainingRecord";
ALTER TABLE "new_TrainingRecord" RENAME TO "TrainingRecord";
CREATE INDEX "TrainingRecord_personId_completedOn_idx" ON "TrainingRecord"("personId", "completedOn");
CREATE INDEX "TrainingRecord_completedOn_idx" ON "TrainingRecord"("completedOn");
CREATE INDEX "TrainingRecord_completionId_idx" ON "TrainingRecord"("completionId");
CREATE INDEX "TrainingRecord_importId_idx" ON "TrainingRecord"("importId");
CREATE UNIQUE INDEX "TrainingRecord_personId_courseCode_completedOn_key" ON "TrainingRecord"("personId", "courseCode", "completedOn");
CREATE TABLE "new_CoverageFact" (
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
    "segment" INTEGER NOT NULL DEFAULT 0,

    PRIMARY KEY ("membershipId", "ruleId", "segment"),
    CONSTRAINT "CoverageFact_ruleId_fkey" FOREIGN KEY ("ruleId") REFERENCES "TargetGroupRule" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "CoverageFact_membershipId_fkey" FOREIGN KEY ("membershipId") REFERENCES "GroupMembership" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_CoverageFact" ("agencyId", "formerProvinceId", "groupId", "joinedDay", "joinedMonth", "leftDay", "leftMonth", "membershipId", "personId", "provinceId", "qualifiedDay", "ruleId", "trainedMonth") SELECT "agencyId", "formerProvinceId", "groupId", "joinedDay", "joinedMonth", "leftDay", "leftMonth", "membershipId", "personId", "provinceId", "qualifiedDay", "ruleId", "trainedMonth" FROM "CoverageFact";
DROP TABLE "CoverageFact";
ALTER TABLE "new_CoverageFact" RENAME TO "CoverageFact";
CREATE INDEX "CoverageFact_ruleId_provinceId_joinedDay_leftDay_qualifiedDay_joinedMonth_trainedMonth_leftMonth_idx" ON "CoverageFact"("ruleId", "provinceId", "joinedDay", "leftDay", "qualifiedDay", "joinedMonth", "trainedMonth", "leftMonth");
CREATE INDEX "CoverageFact_ruleId_agencyId_joinedDay_leftDay_qualifiedDay_idx" ON "CoverageFact"("ruleId", "agencyId", "joinedDay", "leftDay", "qualifiedDay");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

