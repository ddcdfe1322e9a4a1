import type { AliasedSelectQueryBuilder, Kysely, SqlBool } from "kysely";
import { fragment, getSql, isoInstantOf, statement, type Sql } from "~/db/sql.server";
import type { DB } from "~/db/types";
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

// Who reports: the learner's id, and when their session expires (null when
// the caller already knows the learner). The context query is built over it.
type Reporter = AliasedSelectQueryBuilder<{ userId: string; sessionExpiresAt: string | null }, "me">;

// The lesson, the enrolment, the view, the watch clock and the progress, for
// one reporter: one row when the reporter exists, with the lesson's columns
// null when the lesson does not.
function contextOf(sql: Sql, me: Reporter, lessonId: string, viewId: string) {
  return sql.db
    .selectFrom(me)
    .leftJoin("Lesson as l", (join) => join.on("l.id", "=", lessonId))
    .leftJoin("Course as c", "c.id", "l.courseId")
    .leftJoin("Enrolment as e", (join) =>
      join.onRef("e.courseId", "=", "l.courseId").onRef("e.userId", "=", "me.userId"),
    )
    .leftJoin("LessonView as v", (join) =>
      join.on("v.id", "=", viewId).onRef("v.userId", "=", "me.userId").onRef("v.lessonId", "=", "l.id"),
    )
    .leftJoin("WatchClock as w", "w.userId", "me.userId")
    .leftJoin("LessonProgress as p", (join) =>
      join.onRef("p.lessonId", "=", "l.id").onRef("p.userId", "=", "me.userId"),
    )
    .select((eb) => [
      "me.userId",
      "me.sessionExpiresAt",
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
    ]);
}

// Built and compiled once per dialect (app/db/sql.server.ts `statement`): a
// report only binds its values.
const contextQuery = statement((sql: Sql, userId: string, lessonId: string, viewId: string) =>
  contextOf(
    sql,
    sql.db
      .selectNoFrom((eb) => [eb.val(userId).as("userId"), fragment<string | null>`NULL`.as("sessionExpiresAt")])
      .as("me"),
    lessonId,
    viewId,
  ),
);

// The usual report: its session (live account) and its context in one read,
// one round trip instead of two (docs/decisions/107-progress-on-node-http.md).
const sessionContextQuery = statement((sql: Sql, sessionId: string, lessonId: string, viewId: string) =>
  contextOf(
    sql,
    sql.db
      .selectFrom("Session as s")
      .innerJoin("User as u", "u.id", "s.userId")
      .select((eb) => ["s.userId", isoInstantOf(sql, eb.ref("s.expiresAt")).as("sessionExpiresAt")])
      .where("s.id", "=", sessionId)
      .where("u.deactivatedAt", "is", null)
      .as("me"),
    lessonId,
    viewId,
  ),
);

function contextFromRow(row: {
  courseId: string | null;
  durationSeconds: number | bigint | null;
  hasQuiz: unknown;
  status: string | null;
  enrolmentId: string | null;
  viewStartedAt: string | null;
  clockCursor: string | null;
  clockVersion: number | bigint | null;
  progressId: string | null;
  watchedIntervals: string | null;
  completedAt: string | null;
  version: number | bigint | null;
  updatedAt: string | null;
}): ProgressContext | null {
  if (row.courseId === null) return null;
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

export async function loadProgressContext(
  userId: string,
  lessonId: string,
  viewId: string,
  sql: Sql = getSql(),
): Promise<ProgressContext | null> {
  const row = await sql.first(contextQuery(sql, userId, lessonId, viewId));
  return row ? contextFromRow(row) : null;
}

/**
 * A report's session and its context in one read. Null when the session is
 * unknown or its account deactivated; `context` null when the lesson is
 * unknown. The session's expiry is the caller's to check.
 */
export async function loadSessionAndContext(
  sessionId: string,
  lessonId: string,
  viewId: string,
  sql: Sql = getSql(),
): Promise<{ userId: string; sessionExpiresAt: Date; context: ProgressContext | null } | null> {
  const row = await sql.first(sessionContextQuery(sql, sessionId, lessonId, viewId));
  if (!row) return null;
  return { userId: row.userId, sessionExpiresAt: new Date(row.sessionExpiresAt!), context: contextFromRow(row) };
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

// The two versioned updates, as builders: on their own (in a transaction) and
// as the steps of PostgreSQL's one statement below.
function progressUpdate(
  db: Kysely<DB>,
  id: string,
  version: number,
  next: number,
  intervals: string,
  seconds: number,
  position: number,
  completedAt: Date | null,
  viewSeconds: number,
  now: Date,
) {
  return db
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
    .where("version", "=", version);
}

function clockMove(db: Kysely<DB>, userId: string, version: number, next: number, cursor: Date) {
  return db
    .updateTable("WatchClock")
    .set({ cursor, version: next })
    .where("userId", "=", userId)
    .where("version", "=", version);
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
  ) => progressUpdate(sql.db, id, version, next, intervals, seconds, position, completedAt, viewSeconds, now),
);

const moveClock = statement((sql: Sql, userId: string, version: number, next: number, cursor: Date) =>
  clockMove(sql.db, userId, version, next, cursor),
);
const startClock = statement((sql: Sql, userId: string, cursor: Date) =>
  sql.db
    .insertInto("WatchClock")
    .values({ userId, cursor, version: 0 })
    .onConflict((conflict) => conflict.column("userId").doNothing()),
);
// PostgreSQL, the usual report (a clock and a progress row both there): the
// clock's move and the progress update as one statement, one round trip
// instead of four (BEGIN, two updates, COMMIT). The progress row is locked at
// the version that was read; the clock moves only if it is locked; the
// progress is written only if the clock moved. A statement is atomic, and once
// the row is locked at that version its update cannot miss, so either both
// change or neither does. docs/decisions/107-progress-on-node-http.md.
const creditInOneStatement = statement(
  (
    sql: Sql,
    userId: string,
    clockVersion: number,
    nextClockVersion: number,
    cursor: Date,
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
      .with("locked", (db) =>
        db.selectFrom("LessonProgress").select("id").where("id", "=", id).where("version", "=", version).forUpdate(),
      )
      // The steps are the updates above, each run only if the step before it found its row.
      .with("clock", () =>
        clockMove(sql.db, userId, clockVersion, nextClockVersion, cursor)
          .where(fragment<SqlBool>`EXISTS (SELECT 1 FROM "locked")`)
          .returning("userId"),
      )
      .with("written", () =>
        progressUpdate(sql.db, id, version, next, intervals, seconds, position, completedAt, viewSeconds, now)
          .where(fragment<SqlBool>`EXISTS (SELECT 1 FROM "clock")`)
          .returning("id"),
      )
      .selectFrom("written")
      .select("id"),
);

/** A conditional write found the row moved on since it was read. */
class LostRace extends Error {}

/**
 * Writes one credited report in one transaction: the learner's watch clock,
 * moved only from the state that was read (the first charge creates it) when
 * `cursor` is given, then the progress row — inserted if there was none, else
 * updated only over the version that was read. False, with nothing written,
 * when another report (from this instance or another) got there first: the
 * caller reads again and merges.
 */
export async function writeCredit(
  userId: string,
  lessonId: string,
  read: Pick<ProgressContext, "clock" | "progress">,
  cursor: Date | null,
  data: ProgressWrite,
  now: Date,
  sql: Sql = getSql(),
): Promise<boolean> {
  const { clock, progress } = read;
  const { watchedIntervals, watchedSeconds, lastPosition, completedAt, viewSeconds } = data;
  if (sql.dialect === "postgresql" && cursor && clock && progress) {
    const written = await sql.all(
      creditInOneStatement(
        sql,
        userId,
        clock.version,
        clock.version + 1,
        cursor,
        progress.id,
        progress.version,
        progress.version + 1,
        watchedIntervals,
        watchedSeconds,
        lastPosition,
        completedAt,
        viewSeconds,
        now,
      ),
    );
    return written.length === 1;
  }
  try {
    await sql.transaction(async (tx) => {
      if (cursor) {
        const move = clock
          ? moveClock(tx, userId, clock.version, clock.version + 1, cursor)
          : startClock(tx, userId, cursor);
        if ((await tx.run(move)) === 0) throw new LostRace();
      }
      const write = progress
        ? updateProgress(
            tx,
            progress.id,
            progress.version,
            progress.version + 1,
            watchedIntervals,
            watchedSeconds,
            lastPosition,
            completedAt,
            viewSeconds,
            now,
          )
        : insertProgress(
            tx,
            sortableId(),
            userId,
            lessonId,
            watchedIntervals,
            watchedSeconds,
            lastPosition,
            completedAt,
            viewSeconds,
            now,
          );
      if ((await tx.run(write)) === 0) throw new LostRace();
    });
    return true;
  } catch (error) {
    if (error instanceof LostRace) return false;
    throw error;
  }
}
