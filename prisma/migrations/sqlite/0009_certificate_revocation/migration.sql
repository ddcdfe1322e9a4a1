-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_CourseCompletion" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "userId" TEXT NOT NULL,
    "courseId" TEXT NOT NULL,
    "completedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "certificateCode" TEXT NOT NULL,
    "statusIndex" INTEGER,
    "revokedAt" DATETIME,
    "revokedReason" TEXT,
    "revokedById" TEXT,
    CONSTRAINT "CourseCompletion_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "CourseCompletion_courseId_fkey" FOREIGN KEY ("courseId") REFERENCES "Course" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "CourseCompletion_revokedById_fkey" FOREIGN KEY ("revokedById") REFERENCES "User" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_CourseCompletion" ("certificateCode", "completedAt", "courseId", "id", "userId") SELECT "certificateCode", "completedAt", "courseId", "id", "userId" FROM "CourseCompletion";
DROP TABLE "CourseCompletion";
ALTER TABLE "new_CourseCompletion" RENAME TO "CourseCompletion";
CREATE UNIQUE INDEX "CourseCompletion_certificateCode_key" ON "CourseCompletion"("certificateCode");
CREATE UNIQUE INDEX "CourseCompletion_statusIndex_key" ON "CourseCompletion"("statusIndex");
CREATE INDEX "CourseCompletion_courseId_completedAt_idx" ON "CourseCompletion"("courseId", "completedAt");
CREATE UNIQUE INDEX "CourseCompletion_userId_courseId_key" ON "CourseCompletion"("userId", "courseId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

