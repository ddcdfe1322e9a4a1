import { lessonContent, lessonContentSelect } from "~/learning/lesson.server";
import { db } from "~/utils/db.server";

// What learners will see, for the course's editors only (callers check with
// requireCourseEditor): the same content mapping as the learner's page,
// whatever the course's status.

export async function getLessonPreview(courseId: string, lessonId: string) {
  const lesson = await db.lesson.findFirst({
    where: { id: lessonId, courseId },
    select: {
      ...lessonContentSelect,
      course: {
        select: {
          id: true,
          title: true,
          titleEn: true,
          status: true,
          lessons: { orderBy: { position: "asc" }, select: { id: true, title: true } },
        },
      },
    },
  });
  if (!lesson) return null;
  const siblings = lesson.course.lessons;
  const index = siblings.findIndex((l) => l.id === lesson.id);
  return {
    lesson: lessonContent(lesson),
    course: {
      id: lesson.course.id,
      title: lesson.course.title,
      titleEn: lesson.course.titleEn,
      status: lesson.course.status,
    },
    previous: index > 0 ? siblings[index - 1]! : null,
    next: index < siblings.length - 1 ? siblings[index + 1]! : null,
  };
}
