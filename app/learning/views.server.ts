import { getSql, num, statement, type Sql } from "~/db/sql.server";
import { sortableId } from "~/utils/ids.server";
import { VIEW_LIFETIME_MS } from "./watch-credit";

// A view is the server's record that this learner has this lesson open, and
// since when: the lesson page starts one when it loads, the player starts a
// new one when an old one has expired. Progress reports name their view; the
// watch clock never credits time from before the view began.
// docs/decisions/041-watch-credit.md.

// Page loads and the player both start views; a script calling
// POST /api/views in a loop must not fill the disk. Past this many views in an
// hour, the learner's newest live view of the lesson is handed out again
// (safe: credit is bounded from the learner's earliest view anyway).
export const MAX_VIEWS_PER_HOUR = 120;

// Every lesson page load runs these: prepared statements rather than ORM calls
// (docs/decisions/105-progress-off-the-orm.md, 165-catalog-read-model.md).
const viewableLesson = statement((sql: Sql, userId: string, lessonId: string) =>
  sql.db
    .selectFrom("Lesson as l")
    .innerJoin("Course as c", "c.id", "l.courseId")
    .innerJoin("Enrolment as e", (join) => join.onRef("e.courseId", "=", "c.id").on("e.userId", "=", userId))
    .select("l.id")
    .where("l.id", "=", lessonId)
    .where("c.status", "=", "PUBLISHED"),
);
const recentViews = statement((sql: Sql, userId: string, since: Date, now: Date) =>
  sql.db
    .selectFrom("LessonView")
    .select((eb) => eb.fn.countAll().as("count"))
    .where("userId", "=", userId)
    .where("startedAt", ">", since)
    .where("startedAt", "<=", now),
);
const liveView = statement((sql: Sql, userId: string, lessonId: string, since: Date, now: Date) =>
  sql.db
    .selectFrom("LessonView")
    .select("id")
    .where("userId", "=", userId)
    .where("lessonId", "=", lessonId)
    .where("startedAt", ">=", since)
    .where("startedAt", "<=", now)
    .orderBy("startedAt", "desc")
    .limit(1),
);
const insertView = statement((sql: Sql, id: string, userId: string, lessonId: string, now: Date) =>
  sql.db.insertInto("LessonView").values({ id, userId, lessonId, startedAt: now }),
);
const deleteOldViews = statement((sql: Sql, userId: string, before: Date) =>
  sql.db.deleteFrom("LessonView").where("userId", "=", userId).where("startedAt", "<", before),
);

/** Starts a view of a published lesson the learner is enrolled in; null otherwise. */
export async function startLessonView(
  userId: string,
  lessonId: string,
  now = new Date(),
  sql: Sql = getSql(),
): Promise<string | null> {
  if (!(await sql.first(viewableLesson(sql, userId, lessonId)))) return null;
  const recent = await sql.first(recentViews(sql, userId, new Date(now.getTime() - 3_600_000), now));
  if (num(recent?.count) >= MAX_VIEWS_PER_HOUR) {
    const live = await sql.first(liveView(sql, userId, lessonId, new Date(now.getTime() - VIEW_LIFETIME_MS), now));
    if (live) return live.id;
  }
  const id = sortableId();
  await sql.run(insertView(sql, id, userId, lessonId, now));
  // Views that can no longer report are only clutter.
  await sql.run(deleteOldViews(sql, userId, new Date(now.getTime() - 2 * VIEW_LIFETIME_MS)));
  return id;
}
