-- CreateTable
CREATE TABLE "CatalogVersion" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT DEFAULT 1,
    "version" INTEGER NOT NULL DEFAULT 0
);


-- Its one row: raised, never inserted, by the triggers below (app/catalog/catalog-version.server.ts).
INSERT INTO "CatalogVersion" ("id", "version") VALUES (1, 0);

-- Every write to what the catalog shows raises the version, in the writer's
-- own transaction, whichever code or script writes (docs/decisions/165-catalog-read-model.md).
CREATE TRIGGER "catalog_Convention_insert" AFTER INSERT ON "Convention" BEGIN UPDATE "CatalogVersion" SET "version" = "version" + 1 WHERE "id" = 1; END;
CREATE TRIGGER "catalog_Convention_update" AFTER UPDATE ON "Convention" BEGIN UPDATE "CatalogVersion" SET "version" = "version" + 1 WHERE "id" = 1; END;
CREATE TRIGGER "catalog_Convention_delete" AFTER DELETE ON "Convention" BEGIN UPDATE "CatalogVersion" SET "version" = "version" + 1 WHERE "id" = 1; END;
CREATE TRIGGER "catalog_ConventionLeadBody_insert" AFTER INSERT ON "ConventionLeadBody" BEGIN UPDATE "CatalogVersion" SET "version" = "version" + 1 WHERE "id" = 1; END;
CREATE TRIGGER "catalog_ConventionLeadBody_update" AFTER UPDATE ON "ConventionLeadBody" BEGIN UPDATE "CatalogVersion" SET "version" = "version" + 1 WHERE "id" = 1; END;
CREATE TRIGGER "catalog_ConventionLeadBody_delete" AFTER DELETE ON "ConventionLeadBody" BEGIN UPDATE "CatalogVersion" SET "version" = "version" + 1 WHERE "id" = 1; END;
CREATE TRIGGER "catalog_Agency_insert" AFTER INSERT ON "Agency" BEGIN UPDATE "CatalogVersion" SET "version" = "version" + 1 WHERE "id" = 1; END;
CREATE TRIGGER "catalog_Agency_update" AFTER UPDATE ON "Agency" BEGIN UPDATE "CatalogVersion" SET "version" = "version" + 1 WHERE "id" = 1; END;
CREATE TRIGGER "catalog_Agency_delete" AFTER DELETE ON "Agency" BEGIN UPDATE "CatalogVersion" SET "version" = "version" + 1 WHERE "id" = 1; END;
CREATE TRIGGER "catalog_Course_insert" AFTER INSERT ON "Course" BEGIN UPDATE "CatalogVersion" SET "version" = "version" + 1 WHERE "id" = 1; END;
CREATE TRIGGER "catalog_Course_update" AFTER UPDATE ON "Course" BEGIN UPDATE "CatalogVersion" SET "version" = "version" + 1 WHERE "id" = 1; END;
CREATE TRIGGER "catalog_Course_delete" AFTER DELETE ON "Course" BEGIN UPDATE "CatalogVersion" SET "version" = "version" + 1 WHERE "id" = 1; END;
CREATE TRIGGER "catalog_Lesson_insert" AFTER INSERT ON "Lesson" BEGIN UPDATE "CatalogVersion" SET "version" = "version" + 1 WHERE "id" = 1; END;
CREATE TRIGGER "catalog_Lesson_update" AFTER UPDATE ON "Lesson" BEGIN UPDATE "CatalogVersion" SET "version" = "version" + 1 WHERE "id" = 1; END;
CREATE TRIGGER "catalog_Lesson_delete" AFTER DELETE ON "Lesson" BEGIN UPDATE "CatalogVersion" SET "version" = "version" + 1 WHERE "id" = 1; END;
