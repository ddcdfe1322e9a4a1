-- CreateTable
CREATE TABLE "CatalogVersion" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "version" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "CatalogVersion_pkey" PRIMARY KEY ("id")
);


-- Its one row: raised, never inserted, by the triggers below (app/catalog/catalog-version.server.ts).
INSERT INTO "CatalogVersion" ("id", "version") VALUES (1, 0);

-- Every write to what the catalog shows raises the version, once per
-- statement, in the writer's own transaction, whichever code or script writes
-- (docs/decisions/165-catalog-read-model.md).
CREATE FUNCTION "catalog_changed"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "CatalogVersion" SET "version" = "version" + 1 WHERE "id" = 1;
  RETURN NULL;
END;
$$;
CREATE TRIGGER "catalog_Convention" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "Convention" FOR EACH STATEMENT EXECUTE FUNCTION "catalog_changed"();
CREATE TRIGGER "catalog_ConventionLeadBody" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "ConventionLeadBody" FOR EACH STATEMENT EXECUTE FUNCTION "catalog_changed"();
CREATE TRIGGER "catalog_Agency" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "Agency" FOR EACH STATEMENT EXECUTE FUNCTION "catalog_changed"();
CREATE TRIGGER "catalog_Course" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "Course" FOR EACH STATEMENT EXECUTE FUNCTION "catalog_changed"();
CREATE TRIGGER "catalog_Lesson" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "Lesson" FOR EACH STATEMENT EXECUTE FUNCTION "catalog_changed"();
