import { recordOnlineTraining } from "~/coverage/training.server";
import { db } from "~/utils/db.server";
import { generateCertificateCode } from "./certificate";
import { isUniqueViolation } from "~/utils/db-errors";

/** A course is complete when every one of its lessons is; returns true when this call completed it. */
export async function completeCourseIfDone(userId: string, courseId: string, now = new Date()): Promise<boolean> {
  const [lessons, done] = await Promise.all([
    db.lesson.count({ where: { courseId } }),
    db.lessonProgress.count({ where: { userId, completedAt: { not: null }, lesson: { courseId } } }),
  ]);
  if (lessons === 0 || done < lessons) return false;
  try {
    const completion = await db.courseCompletion.create({
      data: { userId, courseId, completedAt: now, certificateCode: generateCertificateCode() },
      select: { course: { select: { code: true } } },
    });
    await recordOnlineTraining(userId, completion.course.code, now);
    return true;
  } catch (error) {
    if (isUniqueViolation(error)) return false;
    throw error;
  }
}

