import { recordOnlineTraining } from "~/coverage/training.server";
import { getSql, type Column } from "~/db/sql.server";
import { db } from "~/utils/db.server";
import { sortableId } from "~/utils/ids.server";
import { generateCertificateCode } from "./certificate";

const COMPLETION_COLUMNS: Column<"CourseCompletion">[] = [
  { name: "id", type: "text" },
  { name: "userId", type: "text" },
  { name: "courseId", type: "text" },
  { name: "completedAt", type: "timestamp" },
  { name: "certificateCode", type: "text" },
];

/** A course is complete when every one of its lessons is; returns true when this call completed it. */
export async function completeCourseIfDone(userId: string, courseId: string, now = new Date()): Promise<boolean> {
  const [lessons, done] = await Promise.all([
    db.lesson.count({ where: { courseId } }),
    db.lessonProgress.count({ where: { userId, completedAt: { not: null }, lesson: { courseId } } }),
  ]);
  if (lessons === 0 || done < lessons) return false;
  return recordCourseCompletion(userId, courseId, now);
}

/**
 * The completion, its certificate code and the roster person's training
 * record, in one transaction: a crash leaves all of them or none. The unique
 * (userId, courseId) makes a second call (a concurrent report) a no-op.
 */
export async function recordCourseCompletion(userId: string, courseId: string, completedAt: Date): Promise<boolean> {
  return getSql().transaction(async (tx) => {
    const id = sortableId();
    const inserted = await tx.insertMany(
      "CourseCompletion",
      COMPLETION_COLUMNS,
      [[id, userId, courseId, completedAt, generateCertificateCode()]],
      { skipConflictsOn: ["userId", "courseId"] },
    );
    if (inserted === 0) return false;
    const course = await tx.first(tx.db.selectFrom("Course").select("code").where("id", "=", courseId));
    await recordOnlineTraining(tx, { id, userId, courseId, courseCode: course!.code, completedAt });
    return true;
  });
}
