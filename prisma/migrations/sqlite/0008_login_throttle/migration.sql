-- CreateTable
CREATE TABLE "LoginThrottle" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "failures" INTEGER NOT NULL,
    "lastFailureAt" BIGINT NOT NULL,
    "nextAttemptAt" BIGINT NOT NULL
);

-- CreateIndex
CREATE INDEX "LoginThrottle_nextAttemptAt_idx" ON "LoginThrottle"("nextAttemptAt");

