-- CreateTable
CREATE TABLE "CoverageVersion" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "version" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "CoverageVersion_pkey" PRIMARY KEY ("id")
);

-- Its one row: raised, never inserted, by the writers (app/coverage/report-version.server.ts).
INSERT INTO "CoverageVersion" ("id", "version") VALUES (1, 0);
