-- AlterTable (SQLite adds a column with a constant default in place; no table rebuild)
ALTER TABLE "Lesson" ADD COLUMN "isPreview" BOOLEAN NOT NULL DEFAULT false;

-- Each course's first lesson becomes its free preview, as new courses' first lessons are.
UPDATE "Lesson" SET "isPreview" = true
 WHERE "position" = (SELECT MIN(l."position") FROM "Lesson" l WHERE l."courseId" = "Lesson"."courseId");
