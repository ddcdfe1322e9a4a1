-- AlterTable
ALTER TABLE "QuizAttempt" ADD COLUMN "draw" TEXT;

-- CreateTable
CREATE TABLE "QuizDraw" (
    "userId" TEXT NOT NULL,
    "lessonId" TEXT NOT NULL,
    "draw" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,

    PRIMARY KEY ("userId", "lessonId"),
    CONSTRAINT "QuizDraw_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "QuizDraw_lessonId_fkey" FOREIGN KEY ("lessonId") REFERENCES "Lesson" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

