-- AlterTable
ALTER TABLE "DataImport" ADD COLUMN     "rejectCount" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "rejectProblems" TEXT NOT NULL DEFAULT '{}';

-- CreateTable
CREATE TABLE "ImportRejectPage" (
    "importId" TEXT NOT NULL,
    "page" INTEGER NOT NULL,
    "count" INTEGER NOT NULL,
    "rejects" TEXT NOT NULL,

    CONSTRAINT "ImportRejectPage_pkey" PRIMARY KEY ("importId","page")
);

-- AddForeignKey
ALTER TABLE "ImportRejectPage" ADD CONSTRAINT "ImportRejectPage_importId_fkey" FOREIGN KEY ("importId") REFERENCES "DataImport"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Imports before this migration kept all their rejects as one JSON list in
-- "DataImport"."rejects": they move into pages of 500, in their order.
INSERT INTO "ImportRejectPage" ("importId", "page", "count", "rejects")
SELECT d."id", ((r.ord - 1) / 500 + 1)::int, COUNT(*)::int, jsonb_agg(r.value ORDER BY r.ord)::text
FROM "DataImport" d CROSS JOIN LATERAL jsonb_array_elements(d."rejects"::jsonb) WITH ORDINALITY AS r(value, ord)
WHERE jsonb_typeof(d."rejects"::jsonb) = 'array'
GROUP BY d."id", (r.ord - 1) / 500;

UPDATE "DataImport" d SET
    "rejectCount" = jsonb_array_length(d."rejects"::jsonb),
    "rejectProblems" = COALESCE((
        SELECT jsonb_object_agg(x.reason, x.n)::text FROM (
            SELECT COALESCE(e->>'reason', 'invalid') AS reason, COUNT(*) AS n
            FROM jsonb_array_elements(d."rejects"::jsonb) e GROUP BY 1
        ) x
    ), '{}')
WHERE jsonb_typeof(d."rejects"::jsonb) = 'array';

-- AlterTable
ALTER TABLE "DataImport" DROP COLUMN "rejects";
