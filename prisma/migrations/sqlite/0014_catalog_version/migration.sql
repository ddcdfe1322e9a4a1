-- CreateTable
CREATE TABLE "CatalogVersion" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT DEFAULT 1,
    "version" INTEGER NOT NULL DEFAULT 0
);


-- Its one row: raised, never inserted, by the triggers below (app/catalog/catalog-version.server.ts).
INSERT INTO "CatalogVersion" ("id", "version") VALUES (1, 0);

-- Every write to what the catalog shows raises the version, in the writer's
-- own transaction, whichever code or script writes (docs/decisions/165-catalog-read-model.md).
-- An agency is shown only as a lead body's name: a new one (a roster import's)
-- shows nothing, and one that leads cannot be deleted.
CREATE TRIGGER "catalog_Convention_insert" AFTER INSERT ON "Convention" BEGIN UPDATE "CatalogVersion" SET "version" = "version" + 1 WHERE "id" = 1; END;
CREATE TRIGGER "catalog_Convention_update" AFTER UPDATE ON "Convention" BEGIN UPDATE "CatalogVersion" SET "version" = "version" + 1 WHERE "id" = 1; END;
CREATE TRIGGER "catalog_Convention_delete" AFTER DELETE ON "Convention" BEGIN UPDATE "CatalogVersion" SET "version" = "version" + 1 WHERE "id" = 1; END;
CREATE TRIGGER "catalog_ConventionLeadBody_insert" AFTER INSERT ON "ConventionLeadBody" BEGIN UPDATE "CatalogVersion" SET "version" = "version" + 1 WHERE "id" = 1; END;
CREATE TRIGGER "catalog_ConventionLeadBody_update" AFTER UPDATE ON "ConventionLeadBody" BEGIN UPDATE "CatalogVersion" SET "version" = "version" + 1 WHERE "id" = 1; END;
CREATE TRIGGER "catalog_ConventionLeadBody_delete" AFTER DELETE ON "ConventionLeadBody" BEGIN UPDATE "CatalogVersion" SET "version" = "version" + 1 WHERE "id" = 1; END;
CREATE TRIGGER "catalog_Agency_update" AFTER UPDATE OF "nameVi", "nameEn" ON "Agency" BEGIN UPDATE "CatalogVersion" SET "version" = "version" + 1 WHERE "id" = 1; END;
CREATE TRIGGER "catalog_Course_insert" AFTER INSERT ON "Course" BEGIN UPDATE "CatalogVersion" SET "version" = "version" + 1 WHERE "id" = 1; END;
CREATE TRIGGER "catalog_Course_update" AFTER UPDATE OF "code", "conventionId", "language", "title", "titleEn", "summary", "summaryEn", "status", "publishedAt" ON "Course" BEGIN UPDATE "CatalogVersion" SET "version" = "version" + 1 WHERE "id" = 1; END;
CREATE TRIGGER "catalog_Course_delete" AFTER DELETE ON "Course" BEGIN UPDATE "CatalogVersion" SET "version" = "version" + 1 WHERE "id" = 1; END;
CREATE TRIGGER "catalog_Lesson_insert" AFTER INSERT ON "Lesson" BEGIN UPDATE "CatalogVersion" SET "version" = "version" + 1 WHERE "id" = 1; END;
CREATE TRIGGER "catalog_Lesson_update" AFTER UPDATE OF "courseId", "position", "title", "titleEn", "durationSeconds" ON "Lesson" BEGIN UPDATE "CatalogVersion" SET "version" = "version" + 1 WHERE "id" = 1; END;
CREATE TRIGGER "catalog_Lesson_delete" AFTER DELETE ON "Lesson" BEGIN UPDATE "CatalogVersion" SET "version" = "version" + 1 WHERE "id" = 1; END;
