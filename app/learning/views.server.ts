import { db } from "~/utils/db.server";
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

/** Starts a view of a published lesson the learner is enrolled in; null otherwise. */
export async function startLessonView(userId: string, lessonId: string, now = new Date()): Promise<string | null> {
  const lesson = await db.lesson.findFirst({
    where: { id: lessonId, course: { status: "PUBLISHED", enrolments: { some: { userId } } } },
    select: { id: true },
  });
  if (!lesson) return null;
  const recent = await db.lessonView.count({
    where: { userId, startedAt: { gt: new Date(now.getTime() - 3_600_000), lte: now } },
  });
  if (recent >= MAX_VIEWS_PER_HOUR) {
    const live = await db.lessonView.findFirst({
      where: { userId, lessonId, startedAt: { gte: new Date(now.getTime() - VIEW_LIFETIME_MS), lte: now } },
      orderBy: { startedAt: "desc" },
      select: { id: true },
    });
    if (live) return live.id;
  }
  const id = sortableId();
  await db.lessonView.create({ data: { id, userId, lessonId, startedAt: now } });
  // Views that can no longer report are only clutter.
  await db.lessonView.deleteMany({
    where: { userId, startedAt: { lt: new Date(now.getTime() - 2 * VIEW_LIFETIME_MS) } },
  });
  return id;
}
