import { getSql, isoInstantOf, statement, type Sql } from "~/db/sql.server";
import { sortableId } from "~/utils/ids.server";

// The progress endpoint is the hottest path in the system: every learner's
// player reports every ten seconds. Prisma's $queryRaw ran its query compiler
// and its adapter prepared the statement again on every call (about half the
// CPU of a report, docs/decisions/105-progress-off-the-orm.md), so this path
// runs a few statements built with Kysely over the generated schema types
// (app/db/types.ts: a renamed column fails the typecheck) on the drivers
// directly, each prepared once per connection (app/db/sql.server.ts): one read
// that gathers the lesson, the enrolment, the view, the learner's watch clock
// and their progress; a versioned move of the clock when the report adds new
// seconds; and one versioned write of the progress.
// docs/decisions/003-progress-hot-path.md, 105-progress-off-the-orm.md.

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

const date = (value: Date | string | null) => (value === null ? null : new Date(value));

// Built and compiled once per dialect (app/db/sql.server.ts `statement`): a
// report only binds its values.
const contextQuery = statement((sql: Sql, userId: string, lessonId: string, viewId: string) =>
  sql.db
    .selectFrom("Lesson as l")
    .innerJoin("Course as c", "c.id", "l.courseId")
    .leftJoin("Enrolment as e", (join) => join.onRef("e.courseId", "=", "l.courseId").on("e.userId", "=", userId))
    .leftJoin("LessonView as v", (join) =>
      join.on("v.id", "=", viewId).on("v.userId", "=", userId).onRef("v.lessonId", "=", "l.id"),
    )
    .leftJoin("WatchClock as w", (join) => join.on("w.userId", "=", userId))
    .leftJoin("LessonProgress as p", (join) => join.onRef("p.lessonId", "=", "l.id").on("p.userId", "=", userId))
    .select((eb) => [
      "l.courseId",
      "l.durationSeconds",
      eb("l.quiz", "is not", null).as("hasQuiz"),
      "c.status",
      "e.id as enrolmentId",
      isoInstantOf(sql, eb.ref("v.startedAt")).as("viewStartedAt"),
      isoInstantOf(sql, eb.ref("w.cursor")).as("clockCursor"),
      "w.version as clockVersion",
      "p.id as progressId",
      "p.watchedIntervals",
      isoInstantOf(sql, eb.ref("p.completedAt")).as("completedAt"),
      "p.version",
      isoInstantOf(sql, eb.ref("p.updatedAt")).as("updatedAt"),
    ])
    .where("l.id", "=", lessonId),
);

export async function loadProgressContext(
  userId: string,
  lessonId: string,
  viewId: string,
  sql: Sql = getSql(),
): Promise<ProgressContext | null> {
  const row = await sql.first(contextQuery(sql, userId, lessonId, viewId));
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

const insertProgress = statement(
  (
    sql: Sql,
    id: string,
    userId: string,
    lessonId: string,
    intervals: string,
    seconds: number,
    position: number,
    completedAt: Date | null,
    viewSeconds: number,
    now: Date,
  ) =>
    sql.db
      .insertInto("LessonProgress")
      .values({
        id,
        userId,
        lessonId,
        watchedIntervals: intervals,
        watchedSeconds: seconds,
        lastPosition: position,
        completedAt,
        viewSeconds,
        version: 0,
        updatedAt: now,
      })
      .onConflict((conflict) => conflict.columns(["userId", "lessonId"]).doNothing()),
);

/** The learner's first report on a lesson; false when another report created the row first. */
export async function insertProgressIfAbsent(
  userId: string,
  lessonId: string,
  data: ProgressWrite,
  now: Date,
  sql: Sql = getSql(),
): Promise<boolean> {
  const query = insertProgress(
    sql,
    sortableId(),
    userId,
    lessonId,
    data.watchedIntervals,
    data.watchedSeconds,
    data.lastPosition,
    data.completedAt,
    data.viewSeconds,
    now,
  );
  return (await sql.run(query)) > 0;
}

const updateProgress = statement(
  (
    sql: Sql,
    id: string,
    version: number,
    next: number,
    intervals: string,
    seconds: number,
    position: number,
    completedAt: Date | null,
    viewSeconds: number,
    now: Date,
  ) =>
    sql.db
      .updateTable("LessonProgress")
      .set((eb) => ({
        watchedIntervals: intervals,
        watchedSeconds: seconds,
        lastPosition: position,
        completedAt,
        viewSeconds: eb("viewSeconds", "+", viewSeconds),
        version: next,
        updatedAt: now,
      }))
      .where("id", "=", id)
      .where("version", "=", version),
);

/** Writes only over the version that was read; false when another report got there first. */
export async function updateProgressIfUnchanged(
  id: string,
  version: number,
  data: ProgressWrite,
  now: Date,
  sql: Sql = getSql(),
): Promise<boolean> {
  const query = updateProgress(
    sql,
    id,
    version,
    version + 1,
    data.watchedIntervals,
    data.watchedSeconds,
    data.lastPosition,
    data.completedAt,
    data.viewSeconds,
    now,
  );
  return (await sql.run(query)) > 0;
}

const moveClock = statement((sql: Sql, userId: string, version: number, next: number, cursor: Date) =>
  sql.db
    .updateTable("WatchClock")
    .set({ cursor, version: next })
    .where("userId", "=", userId)
    .where("version", "=", version),
);
const startClock = statement((sql: Sql, userId: string, cursor: Date) =>
  sql.db
    .insertInto("WatchClock")
    .values({ userId, cursor, version: 0 })
    .onConflict((conflict) => conflict.column("userId").doNothing()),
);
const dropNewClock = statement((sql: Sql, userId: string) =>
  sql.db.deleteFrom("WatchClock").where("userId", "=", userId).where("version", "=", 0),
);

/**
 * Moves the learner's watch clock only from the state that was read (the
 * first charge creates it); false when another report moved it first.
 */
export async function moveWatchClock(
  userId: string,
  read: { cursor: Date; version: number } | null,
  cursor: Date,
  sql: Sql = getSql(),
): Promise<boolean> {
  const query = read ? moveClock(sql, userId, read.version, read.version + 1, cursor) : startClock(sql, userId, cursor);
  return (await sql.run(query)) > 0;
}

/**
 * Puts the clock back after its progress write lost a race, if nobody has
 * moved it since; otherwise the charge stays spent (the learner waits a
 * little longer, never the other way round).
 */
export async function restoreWatchClock(
  userId: string,
  read: { cursor: Date; version: number } | null,
  sql: Sql = getSql(),
) {
  // Only this report's move can have produced the version after the one it read.
  await sql.run(
    read ? moveClock(sql, userId, read.version + 1, read.version + 2, read.cursor) : dropNewClock(sql, userId),
  );
}
