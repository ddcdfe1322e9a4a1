-- AlterTable
ALTER TABLE "QuizAttempt" ADD COLUMN     "draw" TEXT;

-- CreateTable
CREATE TABLE "QuizDraw" (
    "userId" TEXT NOT NULL,
    "lessonId" TEXT NOT NULL,
    "draw" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "QuizDraw_pkey" PRIMARY KEY ("userId","lessonId")
);

-- AddForeignKey
ALTER TABLE "QuizDraw" ADD CONSTRAINT "QuizDraw_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "QuizDraw" ADD CONSTRAINT "QuizDraw_lessonId_fkey" FOREIGN KEY ("lessonId") REFERENCES "Lesson"("id") ON DELETE CASCADE ON UPDATE CASCADE;

