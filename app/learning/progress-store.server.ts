import type { AliasedSelectQueryBuilder, Kysely, SqlBool } from "kysely";
import { Batches, batchesPer } from "~/db/batches.server";
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
// The row also names the lesson and the view asked about, so that one shape
// serves one report and a batch of them (each row its own).
type Reporter = AliasedSelectQueryBuilder<
  { userId: string; sessionExpiresAt: string | null; lessonId: string; viewId: string },
  "me"
>;

// The lesson, the enrolment, the view, the watch clock and the progress, for
// one reporter: one row when the reporter exists, with the lesson's columns
// null when the lesson does not.
function contextOf(sql: Sql, me: Reporter) {
  return sql.db
    .selectFrom(me)
    .leftJoin("Lesson as l", "l.id", "me.lessonId")
    .leftJoin("Course as c", "c.id", "l.courseId")
    .leftJoin("Enrolment as e", (join) =>
      join.onRef("e.courseId", "=", "l.courseId").onRef("e.userId", "=", "me.userId"),
    )
    .leftJoin("LessonView as v", (join) =>
      join.onRef("v.id", "=", "me.viewId").onRef("v.userId", "=", "me.userId").onRef("v.lessonId", "=", "l.id"),
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
      .selectNoFrom((eb) => [
        eb.val(userId).as("userId"),
        fragment<string | null>`NULL`.as("sessionExpiresAt"),
        eb.val(lessonId).as("lessonId"),
        eb.val(viewId).as("viewId"),
      ])
      .as("me"),
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
      .select((eb) => [
        "s.userId",
        isoInstantOf(sql, eb.ref("s.expiresAt")).as("sessionExpiresAt"),
        eb.val(lessonId).as("lessonId"),
        eb.val(viewId).as("viewId"),
      ])
      .where("s.id", "=", sessionId)
      .where("u.deactivatedAt", "is", null)
      .as("me"),
  ),
);

// PostgreSQL, reports that arrive together: the same read for each of them in
// one statement, a row per report whose session is live, numbered by its place.
const sessionContextsQuery = statement((sql: Sql, sessionIds: string[], lessonIds: string[], viewIds: string[]) =>
  contextOf(
    sql,
    sql.db
      .selectFrom(
        fragment<{
          sessionId: string;
          lessonId: string;
          viewId: string;
          n: number;
        }>`(SELECT * FROM unnest(${sessionIds}::text[], ${lessonIds}::text[], ${viewIds}::text[]) WITH ORDINALITY AS r("sessionId", "lessonId", "viewId", "n"))`.as(
          "r",
        ),
      )
      .innerJoin("Session as s", "s.id", "r.sessionId")
      .innerJoin("User as u", "u.id", "s.userId")
      .select((eb) => [
        "s.userId",
        isoInstantOf(sql, eb.ref("s.expiresAt")).as("sessionExpiresAt"),
        "r.lessonId",
        "r.viewId",
        "r.n",
      ])
      .where("u.deactivatedAt", "is", null)
      .as("me"),
  ).select(fragment<number>`"me"."n"`.as("n")),
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
  const row =
    sql.dialect === "postgresql"
      ? await readsOf(sql).ask([sessionId, lessonId, viewId])
      : await sql.first(sessionContextQuery(sql, sessionId, lessonId, viewId));
  if (!row) return null;
  return { userId: row.userId, sessionExpiresAt: new Date(row.sessionExpiresAt!), context: contextFromRow(row) };
}

type SessionContextRow = NonNullable<Awaited<ReturnType<typeof readOne>>>;
const readOne = (sql: Sql, sessionId: string, lessonId: string, viewId: string) =>
  sql.first(sessionContextQuery(sql, sessionId, lessonId, viewId));

/** Reports in one batch statement at most. */
const BATCH_MAX = 64;
/** Batch statements of each kind with the database at once, per client. */
const IN_FLIGHT = 2;

/**
 * PostgreSQL's session-and-context reads: reports that come in together, or
 * while earlier reads are with the database, are read by one statement
 * (app/db/batches.server.ts). A report alone goes as before.
 */
const readsOf = batchesPer(
  (sql: Sql) =>
    new Batches<ContextAsk, SessionContextRow | undefined>(
      async (asks) => {
        if (asks.length === 1) return [await readOne(sql, ...asks[0]!)];
        const rows = await sql.all(
          sessionContextsQuery(
            sql,
            asks.map((ask) => ask[0]),
            asks.map((ask) => ask[1]),
            asks.map((ask) => ask[2]),
          ),
        );
        const byPlace = new Map(rows.map((row) => [Number(row.n), row]));
        return asks.map((_, i) => byPlace.get(i + 1));
      },
      { max: BATCH_MAX, inFlight: IN_FLIGHT },
    ),
);
type ContextAsk = [sessionId: string, lessonId: string, viewId: string];

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

// PostgreSQL, reports that arrive together: the same steps for many learners
// in one statement. Each learner's row carries what was read for them; their
// progress row and clock are locked at the versions read, in learner order;
// the clock moves only if both are locked, and the progress is written only if
// the clock moved. One learner is in a batch at most once (creditsOf), so a
// clock row meets one input row and the steps keep their one-learner meaning.
// Dates go as ISO instants into timestamp(3), as sql.server.ts writes them.
type CreditRow = {
  userId: string;
  clockVersion: number;
  cursor: Date;
  id: string;
  version: number;
  intervals: string;
  seconds: number;
  position: number;
  completedAt: Date | null;
  viewSeconds: number;
  now: Date;
};

const creditsInOneStatement = statement(
  (
    sql: Sql,
    userIds: string[],
    clockVersions: number[],
    cursors: string[],
    ids: string[],
    versions: number[],
    intervals: string[],
    seconds: number[],
    positions: number[],
    completedAts: (string | null)[],
    viewSeconds: number[],
    nows: string[],
  ) => {
    const db = sql.db.withTables<{ credit: CreditRow }>();
    return (
      db
        // Kysely writes a raw body as it is: the parentheses are the CTE's.
        .with(
          "credit",
          () =>
            fragment<CreditRow>`(SELECT * FROM unnest(${userIds}::text[], ${clockVersions}::int[], ${cursors}::timestamp(3)[], ${ids}::text[], ${versions}::int[], ${intervals}::text[], ${seconds}::float8[], ${positions}::float8[], ${completedAts}::timestamp(3)[], ${viewSeconds}::float8[], ${nows}::timestamp(3)[]) AS u("userId", "clockVersion", "cursor", "id", "version", "intervals", "seconds", "position", "completedAt", "viewSeconds", "now"))`,
        )
        // Each learner's progress row and clock, locked together at the
        // versions read, in learner order. Every batch and single credit
        // takes a learner's locks together and learners in order, so two
        // instances' batches over the same learners queue instead of
        // deadlocking. A row moved on since the read drops out.
        .with("locked", (db) =>
          db
            .selectFrom("LessonProgress")
            .innerJoin("credit", (join) =>
              join.onRef("credit.id", "=", "LessonProgress.id").onRef("credit.version", "=", "LessonProgress.version"),
            )
            .innerJoin("WatchClock", (join) =>
              join
                .onRef("WatchClock.userId", "=", "credit.userId")
                .onRef("WatchClock.version", "=", "credit.clockVersion"),
            )
            .select(["LessonProgress.id", "WatchClock.userId"])
            .orderBy("WatchClock.userId")
            .forUpdate(),
        )
        .with("clock", (db) =>
          db
            .updateTable("WatchClock")
            .from("credit")
            .set((eb) => ({ cursor: eb.ref("credit.cursor"), version: eb("credit.clockVersion", "+", 1) }))
            .whereRef("WatchClock.userId", "=", "credit.userId")
            .whereRef("WatchClock.version", "=", "credit.clockVersion")
            .where("credit.userId", "in", (eb) => eb.selectFrom("locked").select("locked.userId"))
            .returning("WatchClock.userId"),
        )
        .with("written", (db) =>
          db
            .updateTable("LessonProgress")
            .from("credit")
            .set((eb) => ({
              watchedIntervals: eb.ref("credit.intervals"),
              watchedSeconds: eb.ref("credit.seconds"),
              lastPosition: eb.ref("credit.position"),
              completedAt: eb.ref("credit.completedAt"),
              viewSeconds: eb("LessonProgress.viewSeconds", "+", eb.ref("credit.viewSeconds")),
              version: eb("credit.version", "+", 1),
              updatedAt: eb.ref("credit.now"),
            }))
            .whereRef("LessonProgress.id", "=", "credit.id")
            .whereRef("LessonProgress.version", "=", "credit.version")
            .where("credit.userId", "in", (eb) => eb.selectFrom("clock").select("clock.userId"))
            .returning("LessonProgress.id"),
        )
        .selectFrom("written")
        .select("written.id")
    );
  },
);

/** One usual credit on its own: the single-learner statement. */
async function creditOne(sql: Sql, c: CreditRow): Promise<boolean> {
  const written = await sql.all(
    creditInOneStatement(
      sql,
      c.userId,
      c.clockVersion,
      c.clockVersion + 1,
      c.cursor,
      c.id,
      c.version,
      c.version + 1,
      c.intervals,
      c.seconds,
      c.position,
      c.completedAt,
      c.viewSeconds,
      c.now,
    ),
  );
  return written.length === 1;
}

const iso = (d: Date) => d.toISOString();

/**
 * PostgreSQL's usual credits: reports whose reads came back together, or
 * while earlier credits are with the database, are written by one
 * statement, one round trip and one commit instead of one each. A report
 * alone goes as before. Each report still learns whether its own write
 * landed; a learner is in a batch at most once. A batch that fails on a
 * deadlock with another instance's batch is sent again one report at a time;
 * any other failure fails each of its reports as it would have failed alone.
 */
const creditsOf = batchesPer(
  (sql: Sql) =>
    new Batches<CreditRow, boolean>(
      async (credits) => {
        if (credits.length === 1) return [await creditOne(sql, credits[0]!)];
        try {
          const written = await sql.all(
            creditsInOneStatement(
              sql,
              credits.map((c) => c.userId),
              credits.map((c) => c.clockVersion),
              credits.map((c) => iso(c.cursor)),
              credits.map((c) => c.id),
              credits.map((c) => c.version),
              credits.map((c) => c.intervals),
              credits.map((c) => c.seconds),
              credits.map((c) => c.position),
              credits.map((c) => (c.completedAt ? iso(c.completedAt) : null)),
              credits.map((c) => c.viewSeconds),
              credits.map((c) => iso(c.now)),
            ),
          );
          const ids = new Set(written.map((row) => row.id));
          return credits.map((c) => ids.has(c.id));
        } catch (error) {
          if ((error as { code?: string }).code !== "40P01") throw error;
          return Promise.all(credits.map((c) => creditOne(sql, c)));
        }
      },
      { max: BATCH_MAX, inFlight: IN_FLIGHT, key: (credit) => credit.userId },
    ),
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
    const credit: CreditRow = {
      userId,
      clockVersion: clock.version,
      cursor,
      id: progress.id,
      version: progress.version,
      intervals: watchedIntervals,
      seconds: watchedSeconds,
      position: lastPosition,
      completedAt,
      viewSeconds,
      now,
    };
    return creditsOf(sql).ask(credit);
  }
  const values = [watchedIntervals, watchedSeconds, lastPosition, completedAt, viewSeconds, now] as const;
  const write = (tx: Sql) =>
    progress
      ? updateProgress(tx, progress.id, progress.version, progress.version + 1, ...values)
      : insertProgress(tx, sortableId(), userId, lessonId, ...values);
  // A report that gained no time (a range watched again, a new position)
  // leaves the clock alone: its one conditional statement is atomic on its
  // own, one round trip instead of three (BEGIN, the write, COMMIT).
  if (!cursor) return (await sql.run(write(sql))) > 0;
  try {
    await sql.transaction(async (tx) => {
      const move = clock
        ? moveClock(tx, userId, clock.version, clock.version + 1, cursor)
        : startClock(tx, userId, cursor);
      if ((await tx.run(move)) === 0) throw new LostRace();
      if ((await tx.run(write(tx))) === 0) throw new LostRace();
    });
    return true;
  } catch (error) {
    if (error instanceof LostRace) return false;
    throw error;
  }
}
