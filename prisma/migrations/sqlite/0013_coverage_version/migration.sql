-- CreateTable
CREATE TABLE "CoverageVersion" (
    "id" INTEGER NOT NULL PRIMARY KEY DEFAULT 1,
    "version" INTEGER NOT NULL DEFAULT 0
);

-- Its one row: raised, never inserted, by the writers (app/coverage/report-version.server.ts).
INSERT INTO "CoverageVersion" ("id", "version") VALUES (1, 0);
