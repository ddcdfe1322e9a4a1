import { watchedPercentOf } from "./completion";
import { db } from "~/utils/db.server";

/** The learner's courses, each lesson's progress, and where to pick up. */
export async function listMyLearning(userId: string) {
  const enrolments = await db.enrolment.findMany({
    where: { userId },
    orderBy: { enrolledAt: "desc" },
    select: {
      enrolledAt: true,
      course: {
        select: {
          id: true,
          code: true,
          title: true,
          titleEn: true,
          status: true,
          convention: { select: { code: true } },
          lessons: {
            orderBy: { position: "asc" },
            select: {
              id: true,
              slug: true,
              title: true,
              titleEn: true,
              durationSeconds: true,
              progress: { where: { userId }, select: { watchedSeconds: true, completedAt: true, updatedAt: true } },
            },
          },
          completions: { where: { userId }, select: { completedAt: true, certificateCode: true } },
        },
      },
    },
  });
  return enrolments.map(({ enrolledAt, course }) => {
    const lessons = course.lessons.map(({ progress, ...lesson }) => {
      const p = progress[0];
      return {
        ...lesson,
        watchedPercent: p ? watchedPercentOf(p.watchedSeconds, lesson.durationSeconds) : 0,
        completedAt: p?.completedAt ?? null,
        lastActivity: p?.updatedAt ?? null,
      };
    });
    // Resume at the first unfinished lesson; a finished course resumes at its first lesson.
    const resume = lessons.find((l) => !l.completedAt) ?? lessons[0] ?? null;
    return {
      enrolledAt,
      course: {
        code: course.code,
        title: course.title,
        titleEn: course.titleEn,
        convention: course.convention.code,
        available: course.status === "PUBLISHED",
      },
      lessons,
      completedLessons: lessons.filter((l) => l.completedAt).length,
      completion: course.completions[0] ?? null,
      resumeSlug: resume?.slug ?? null,
    };
  });
}
