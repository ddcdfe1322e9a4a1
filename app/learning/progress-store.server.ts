import { db } from "~/utils/db.server";

// The progress endpoint is the hottest path in the system: every learner's
// player reports every ten seconds. Prisma compiles each ORM call to SQL on
// the main thread (about a millisecond of CPU apiece here), so this path uses
// a few hand-written statements instead: one read that gathers the lesson,
// the enrolment, the view, the learner's watch clock and their progress; a
// versioned move of the clock when the report adds new seconds; and one
// versioned update of the progress.
// The SQL is portable between SQLite and PostgreSQL (quoted identifiers,
// parameters bound by Prisma). docs/decisions/003-progress-hot-path.md.

export type ProgressContext = {
  courseId: string;
  durationSeconds: number | null;
  hasQuiz: boolean;
  published: boolean;
  enrolled: boolean;
  /** The view the report names, if it is this learner's view of this lesson. */
  viewStartedAt: Date | null;
  clock: { cursor: Date; version: number } | null;
  progress: { id: string; watchedIntervals: string; completedAt: Date | null; version: number; updatedAt: Date } | null;
};

type Row = {
  courseId: string;
  durationSeconds: number | null;
  hasQuiz: number | bigint | boolean;
  status: string;
  enrolmentId: string | null;
  viewStartedAt: Date | string | null;
  clockCursor: Date | string | null;
  clockVersion: number | bigint | null;
  progressId: string | null;
  watchedIntervals: string | null;
  completedAt: Date | string | null;
  version: number | bigint | null;
  updatedAt: Date | string | null;
};

const date = (value: Date | string | null) => (value === null ? null : new Date(value));

export async function loadProgressContext(userId: string, lessonId: string, viewId: string): Promise<ProgressContext | null> {
  const rows = await db.$queryRaw<Row[]>`
    SELECT l."courseId", l."durationSeconds", (l."quiz" IS NOT NULL) AS "hasQuiz", c."status",
           e."id" AS "enrolmentId",
           v."startedAt" AS "viewStartedAt",
           w."cursor" AS "clockCursor", w."version" AS "clockVersion",
           p."id" AS "progressId", p."watchedIntervals", p."completedAt", p."version", p."updatedAt"
    FROM "Lesson" l
    JOIN "Course" c ON c."id" = l."courseId"
    LEFT JOIN "Enrolment" e ON e."courseId" = l."courseId" AND e."userId" = ${userId}
    LEFT JOIN "LessonView" v ON v."id" = ${viewId} AND v."userId" = ${userId} AND v."lessonId" = l."id"
    LEFT JOIN "WatchClock" w ON w."userId" = ${userId}
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
    viewStartedAt: date(row.viewStartedAt),
    clock: row.clockCursor === null ? null : { cursor: date(row.clockCursor)!, version: Number(row.clockVersion) },
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
  viewSeconds: number;
};

/** Writes only over the version that was read; false when another report got there first. */
export async function updateProgressIfUnchanged(id: string, version: number, data: ProgressWrite, now: Date): Promise<boolean> {
  const count = await db.$executeRaw`
    UPDATE "LessonProgress"
    SET "watchedIntervals" = ${data.watchedIntervals}, "watchedSeconds" = ${data.watchedSeconds},
        "lastPosition" = ${data.lastPosition}, "completedAt" = ${data.completedAt},
        "viewSeconds" = "viewSeconds" + ${data.viewSeconds},
        "version" = ${version + 1}, "updatedAt" = ${now}
    WHERE "id" = ${id} AND "version" = ${version}`;
  return count > 0;
}

/**
 * Moves the learner's watch clock only from the state that was read (the
 * first charge creates it); false when another report moved it first.
 */
export async function moveWatchClock(userId: string, read: { cursor: Date; version: number } | null, cursor: Date): Promise<boolean> {
  const count = read
    ? await db.$executeRaw`
        UPDATE "WatchClock" SET "cursor" = ${cursor}, "version" = ${read.version + 1}
        WHERE "userId" = ${userId} AND "version" = ${read.version}`
    : await db.$executeRaw`
        INSERT INTO "WatchClock" ("userId", "cursor", "version") VALUES (${userId}, ${cursor}, 0)
        ON CONFLICT ("userId") DO NOTHING`;
  return count > 0;
}

/**
 * Puts the clock back after its progress write lost a race, if nobody has
 * moved it since; otherwise the charge stays spent (the learner waits a
 * little longer, never the other way round).
 */
export async function restoreWatchClock(userId: string, read: { cursor: Date; version: number } | null) {
  // Only this report's move can have produced the version after the one it read.
  if (read) {
    await db.$executeRaw`
      UPDATE "WatchClock" SET "cursor" = ${read.cursor}, "version" = ${read.version + 2}
      WHERE "userId" = ${userId} AND "version" = ${read.version + 1}`;
  } else {
    await db.$executeRaw`DELETE FROM "WatchClock" WHERE "userId" = ${userId} AND "version" = 0`;
  }
}
