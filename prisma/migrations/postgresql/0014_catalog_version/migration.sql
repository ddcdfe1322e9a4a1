-- CreateTable
CREATE TABLE "CatalogVersion" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "version" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "CatalogVersion_pkey" PRIMARY KEY ("id")
);


-- Its one row: raised, never inserted, by the triggers below (app/catalog/catalog-version.server.ts).
INSERT INTO "CatalogVersion" ("id", "version") VALUES (1, 0);

-- Every write to what the catalog shows raises the version, in the writer's
-- own transaction, whichever code or script writes (docs/decisions/165-catalog-read-model.md).
-- The triggers are deferred to the commit, so the version's row is locked
-- only for the commit, after every other lock the transaction takes (as
-- coverageChanged does for CoverageVersion): it adds no deadlock. An agency
-- is shown only as a lead body's name: a new one (a roster import's) shows
-- nothing, and one that leads cannot be deleted.
CREATE FUNCTION "catalog_changed"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "CatalogVersion" SET "version" = "version" + 1 WHERE "id" = 1;
  RETURN NULL;
END;
$$;
CREATE CONSTRAINT TRIGGER "catalog_Convention" AFTER INSERT OR UPDATE OR DELETE ON "Convention" DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "catalog_changed"();
CREATE TRIGGER "catalog_Convention_truncate" AFTER TRUNCATE ON "Convention" FOR EACH STATEMENT EXECUTE FUNCTION "catalog_changed"();
CREATE CONSTRAINT TRIGGER "catalog_ConventionLeadBody" AFTER INSERT OR UPDATE OR DELETE ON "ConventionLeadBody" DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "catalog_changed"();
CREATE TRIGGER "catalog_ConventionLeadBody_truncate" AFTER TRUNCATE ON "ConventionLeadBody" FOR EACH STATEMENT EXECUTE FUNCTION "catalog_changed"();
CREATE CONSTRAINT TRIGGER "catalog_Agency" AFTER UPDATE OF "nameVi", "nameEn" ON "Agency" DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "catalog_changed"();
CREATE CONSTRAINT TRIGGER "catalog_Course" AFTER INSERT OR UPDATE OF "code", "conventionId", "language", "title", "titleEn", "summary", "summaryEn", "status", "publishedAt" OR DELETE ON "Course" DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "catalog_changed"();
CREATE TRIGGER "catalog_Course_truncate" AFTER TRUNCATE ON "Course" FOR EACH STATEMENT EXECUTE FUNCTION "catalog_changed"();
CREATE CONSTRAINT TRIGGER "catalog_Lesson" AFTER INSERT OR UPDATE OF "courseId", "position", "title", "titleEn", "durationSeconds" OR DELETE ON "Lesson" DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "catalog_changed"();
CREATE TRIGGER "catalog_Lesson_truncate" AFTER TRUNCATE ON "Lesson" FOR EACH STATEMENT EXECUTE FUNCTION "catalog_changed"();
