-- AlterTable
ALTER TABLE "Lesson" ADD COLUMN     "isPreview" BOOLEAN NOT NULL DEFAULT false;


-- Each course's first lesson becomes its free preview, as new courses' first lessons are.
UPDATE "Lesson" SET "isPreview" = true
 WHERE "position" = (SELECT MIN(l."position") FROM "Lesson" l WHERE l."courseId" = "Lesson"."courseId");
