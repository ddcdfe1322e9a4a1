import { randomUUID } from "node:crypto";
import { createUser } from "~/auth/auth.server";
import { createSession, generateSessionToken } from "~/auth/session.server";
import type { Quiz } from "~/learning/quiz";
import { startLessonView } from "~/learning/views.server";
import { seedReferenceData } from "~/setup/seed.server";
import { db } from "~/utils/db.server";

export const SAMPLE_QUIZ: Quiz = {
  passMark: 50,
  questions: [
    {
      id: "q1",
      kind: "single",
      prompt: "Năm Việt Nam gia nhập ICCPR?",
      options: [
        { id: "a", text: "1982", correct: true },
        { id: "b", text: "2015", correct: false },
      ],
    },
    {
      id: "q2",
      kind: "multiple",
      prompt: "Những quyền nào là quyền dân sự?",
      options: [
        { id: "a", text: "Quyền sống", correct: true },
        { id: "b", text: "Tự do ngôn luận", correct: true },
        { id: "c", text: "Quyền có việc làm", correct: false },
      ],
    },
  ],
};

/**
 * A published course with `durations.length` lessons, lesson i lasting durations[i] seconds,
 * inserted as rows: a test's starting state, not the trainer's createCourse (teach/courses.server.ts).
 */
export async function createPublishedCourse(
  options: { durations?: number[]; quizOn?: number[]; status?: "PUBLISHED" | "DRAFT" } = {},
) {
  await seedReferenceData();
  const convention = await db.convention.findUniqueOrThrow({ where: { code: "ICCPR" } });
  const durations = options.durations ?? [200, 240];
  const code = `course-${randomUUID().slice(0, 8)}`;
  return db.course.create({
    data: {
      code,
      conventionId: convention.id,
      language: "vi",
      title: "Khóa học thử",
      summary: "Tóm tắt",
      status: options.status ?? "PUBLISHED",
      publishedAt: new Date(),
      lessons: {
        create: durations.map((durationSeconds, i) => ({
          slug: `lesson-${i + 1}`,
          position: i,
          title: `Bài ${i + 1}`,
          language: "vi",
          durationSeconds,
          quiz: options.quizOn?.includes(i) ? JSON.stringify(SAMPLE_QUIZ) : null,
          passMark: options.quizOn?.includes(i) ? SAMPLE_QUIZ.passMark : null,
        })),
      },
    },
    include: { lessons: { orderBy: { position: "asc" } } },
  });
}

export async function createLearner(email = `learner-${randomUUID().slice(0, 8)}@example.vn`) {
  const { id } = await createUser({ email, name: "Học viên thử", password: "mat-khau-dai-du" });
  return { id, email };
}

export async function createEnrolment(userId: string, courseId: string) {
  return db.enrolment.create({ data: { userId, courseId } });
}

/**
 * A learner enrolled in a published course of one 200 s lesson, signed in
 * (their session cookie) and watching it in a view opened a minute ago, as
 * the lesson page would have: what a progress report needs.
 */
export async function signedInLearnerWatching() {
  const course = await createPublishedCourse({ durations: [200] });
  const learner = await createLearner();
  await createEnrolment(learner.id, course.id);
  const token = generateSessionToken();
  await createSession(token, learner.id);
  const lessonId = course.lessons[0]!.id;
  const viewId = (await startLessonView(learner.id, lessonId, new Date(Date.now() - 60_000)))!;
  return { cookie: `th_session=${token}`, lessonId, viewId, userId: learner.id };
}
