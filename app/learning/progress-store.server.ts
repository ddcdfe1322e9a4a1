import { db } from "~/utils/db.server";

// The progress endpoint is the hottest path in the system: every learner's
// player reports every ten seconds. Prisma compiles each ORM call to SQL on
// the main thread (about a millisecond of CPU apiece here), so this path uses
// a few hand-written statements instead: one read that gathers the lesson,
// the enrolment and the learner's progress, and one versioned update.
// The SQL is portable between SQLite and PostgreSQL (quoted identifiers,
// parameters bound by Prisma). docs/decisions/003-progress-hot-path.md.

export type ProgressContext = {
  courseId: string;
  durationSeconds: number | null;
  hasQuiz: boolean;
  published: boolean;
  enrolled: boolean;
  progress: { id: string; watchedIntervals: string; completedAt: Date | null; version: number; updatedAt: Date } | null;
};

type Row = {
  courseId: string;
  durationSeconds: number | null;
  hasQuiz: number | bigint | boolean;
  status: string;
  enrolmentId: string | null;
  progressId: string | null;
  watchedIntervals: string | null;
  completedAt: Date | string | null;
  version: number | bigint | null;
  updatedAt: Date | string | null;
};

const date = (value: Date | string | null) => (value === null ? null : new Date(value));

export async function loadProgressContext(userId: string, lessonId: string): Promise<ProgressContext | null> {
  const rows = await db.$queryRaw<Row[]>`
    SELECT l."courseId", l."durationSeconds", (l."quiz" IS NOT NULL) AS "hasQuiz", c."status",
           e."id" AS "enrolmentId",
           p."id" AS "progressId", p."watchedIntervals", p."completedAt", p."version", p."updatedAt"
    FROM "Lesson" l
    JOIN "Course" c ON c."id" = l."courseId"
    LEFT JOIN "Enrolment" e ON e."courseId" = l."courseId" AND e."userId" = ${userId}
    LEFT JOIN "LessonProgress" p ON p."lessonId" = l."id" AND p."userId" = ${userId}
    WHERE l."id" = ${lessonId}`;
  const row = rows[0];
  if (!row) return null;
  return {
    courseId: row.courseId,
    durationSeconds: row.durationSeconds === null ? null : Number(row.durationSeconds),
    hasQuiz: Boolean(Number(row.hasQuiz)),
    published: row.status === "PUBLISHED",
    enrolled: row.enrolmentId !== null,
    progress:
      row.progressId === null
        ? null
        : {
            id: row.progressId,
            watchedIntervals: row.watchedIntervals ?? "[]",
            completedAt: date(row.completedAt),
            version: Number(row.version),
            updatedAt: date(row.updatedAt)!,
          },
  };
}

export type ProgressWrite = {
  watchedIntervals: string;
  watchedSeconds: number;
  lastPosition: number;
  completedAt: Date | null;
};

/** Writes only over the version that was read; false when another report got there first. */
export async function updateProgressIfUnchanged(id: string, version: number, data: ProgressWrite, now: Date): Promise<boolean> {
  const count = await db.$executeRaw`
    UPDATE "LessonProgress"
    SET "watchedIntervals" = ${data.watchedIntervals}, "watchedSeconds" = ${data.watchedSeconds},
        "lastPosition" = ${data.lastPosition}, "completedAt" = ${data.completedAt},
        "version" = ${version + 1}, "updatedAt" = ${now}
    WHERE "id" = ${id} AND "version" = ${version}`;
  return count > 0;
}
