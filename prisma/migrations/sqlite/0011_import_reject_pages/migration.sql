-- CreateTable
CREATE TABLE "ImportRejectPage" (
    "importId" TEXT NOT NULL,
    "page" INTEGER NOT NULL,
    "count" INTEGER NOT NULL,
    "rejects" TEXT NOT NULL,

    PRIMARY KEY ("importId", "page"),
    CONSTRAINT "ImportRejectPage_importId_fkey" FOREIGN KEY ("importId") REFERENCES "DataImport" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- Imports before this migration kept all their rejects as one JSON list in
-- "DataImport"."rejects": they move into pages of 500, in their order. They
-- wait in a table of their own while "DataImport" is rebuilt (dropping it
-- would cascade to the pages).
CREATE TABLE "_LegacyRejectPage" AS
SELECT "importId", "page", COUNT(*) AS "count", json_group_array(json("value")) AS "rejects"
FROM (
    SELECT d."id" AS "importId", r."key" / 500 + 1 AS "page", r."value" AS "value"
    FROM "DataImport" d, json_each(CASE WHEN json_valid(d."rejects") AND json_type(d."rejects") = 'array' THEN d."rejects" ELSE '[]' END) r
    ORDER BY d."id", r."key"
)
GROUP BY "importId", "page";

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
    "rejectCount" INTEGER NOT NULL DEFAULT 0,
    "rejectProblems" TEXT NOT NULL DEFAULT '{}',
    "message" TEXT,
    "createdById" TEXT,
    "jobId" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" DATETIME,
    CONSTRAINT "DataImport_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_DataImport" ("acceptedRows", "createdAt", "createdById", "createdRows", "fileName", "finishedAt", "id", "jobId", "kind", "message", "processedRows", "rejectedRows", "status", "strict", "totalRows", "unchangedRows", "updatedRows", "rejectCount", "rejectProblems") SELECT "acceptedRows", "createdAt", "createdById", "createdRows", "fileName", "finishedAt", "id", "jobId", "kind", "message", "processedRows", "rejectedRows", "status", "strict", "totalRows", "unchangedRows", "updatedRows",
    CASE WHEN json_valid("rejects") AND json_type("rejects") = 'array' THEN json_array_length("rejects") ELSE 0 END,
    CASE WHEN json_valid("rejects") AND json_type("rejects") = 'array' THEN (
        SELECT json_group_object("reason", "n") FROM (
            SELECT COALESCE(json_extract(r."value", '$.reason'), 'invalid') AS "reason", COUNT(*) AS "n"
            FROM json_each("DataImport"."rejects") r GROUP BY 1
        )
    ) ELSE '{}' END
FROM "DataImport";
DROP TABLE "DataImport";
ALTER TABLE "new_DataImport" RENAME TO "DataImport";
CREATE UNIQUE INDEX "DataImport_jobId_key" ON "DataImport"("jobId");
CREATE INDEX "DataImport_kind_createdAt_idx" ON "DataImport"("kind", "createdAt");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

INSERT INTO "ImportRejectPage" ("importId", "page", "count", "rejects") SELECT "importId", "page", "count", "rejects" FROM "_LegacyRejectPage";
DROP TABLE "_LegacyRejectPage";
