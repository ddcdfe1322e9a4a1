import { z } from "zod";
import { db } from "~/utils/db.server";
import { withKeyLock } from "~/utils/keyed-lock";
import { parseStoredJson } from "~/utils/stored-json";
import { isLessonComplete, watchedPercent } from "./completion";
import { coveredSeconds, isSortedAndDisjoint, mergeIntervals, roundIntervals, type Interval } from "./intervals";
import { completeCourseIfDone } from "./course-completion.server";
import { loadProgressContext, writeCredit, type ProgressContext } from "./progress-store.server";
import { chargeWatchClock, isViewLive, viewSecondsBetween } from "./watch-credit";

// What the player sends: the view it plays in, the ranges actually played
// since its last report (sorted, disjoint), and where the playhead is now.
export const ProgressReportSchema = z
  .object({
    viewId: z.string().min(1).max(40),
    lessonId: z.string().min(1).max(40),
    intervals: z.array(z.tuple([z.number().finite().min(0), z.number().finite().min(0)])).max(100),
    position: z.number().finite().min(0),
  })
  .strict();

export type ProgressReport = z.infer<typeof ProgressReportSchema>;

// Players report the end a few hundredths past the container's duration.
const DURATION_TOLERANCE_SECONDS = 0.5;
// Concurrent reports for one learner are rare (one player per page), but a
// flaky network can replay a burst; each round lets one through.
const MAX_WRITE_ATTEMPTS = 50;

export type ProgressRefusal =
  | { ok: false; status: 403; error: "not_enrolled" }
  | { ok: false; status: 404; error: "unknown_lesson" }
  | { ok: false; status: 422; error: "invalid_intervals" | "unknown_view" | "view_expired" }
  | { ok: false; status: 422; error: "too_fast"; retryAfterSeconds: number };

export type ProgressOutcome =
  { ok: true; watchedPercent: number; completed: boolean; courseCompleted: boolean } | ProgressRefusal;

const StoredIntervals = z.array(z.tuple([z.number(), z.number()]));

/**
 * LessonProgress.watchedIntervals. Corrupt intervals stop with a clear error:
 * reading them as none would show the learner no progress, and the next
 * report would overwrite what they had watched.
 */
export function parseIntervals(json: string): Interval[] {
  return parseStoredJson("LessonProgress.watchedIntervals", StoredIntervals, json);
}

export function serializeIntervals(intervals: readonly Interval[]): string {
  return JSON.stringify(intervals);
}

/**
 * Credits a player's report. Refusals change nothing; the player keeps the
 * ranges of a `too_fast` report and sends them again after `retryAfterSeconds`.
 */
export function recordProgress(
  userId: string,
  report: ProgressReport,
  now = new Date(),
  read?: ProgressContext | null,
): Promise<ProgressOutcome> {
  // One learner's reports come from one player every ten seconds; taking them
  // one at a time here means the clock and progress writes below only race
  // another app instance, never this one (docs/decisions/041-watch-credit.md).
  // `read`, the context the caller read already (with the session), is used
  // only if no report of this learner ran here meanwhile; were it stale, the
  // versioned write would refuse it and the report would be read again.
  return withKeyLock(`progress:${userId}`, (waited) => creditReport(userId, report, now, waited ? undefined : read));
}

async function creditReport(
  userId: string,
  report: ProgressReport,
  now: Date,
  read: ProgressContext | null | undefined,
): Promise<ProgressOutcome> {
  const incoming = report.intervals as Interval[];
  for (let attempt = 0; attempt < MAX_WRITE_ATTEMPTS; attempt++) {
    if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, Math.random() * 2 * attempt));
    const context =
      attempt === 0 && read !== undefined ? read : await loadProgressContext(userId, report.lessonId, report.viewId);
    if (!context || !context.durationSeconds || !context.published) {
      return { ok: false, status: 404, error: "unknown_lesson" };
    }
    if (!context.enrolled) return { ok: false, status: 403, error: "not_enrolled" };
    if (!context.viewStartedAt) return { ok: false, status: 422, error: "unknown_view" };
    if (!isViewLive(context.viewStartedAt, now)) return { ok: false, status: 422, error: "view_expired" };

    const duration = context.durationSeconds;
    const limit = duration + DURATION_TOLERANCE_SECONDS;
    if (!isSortedAndDisjoint(incoming) || incoming.some(([, end]) => end > limit) || report.position > limit) {
      return { ok: false, status: 422, error: "invalid_intervals" };
    }
    const clamped = incoming.map(([s, e]): Interval => [s, Math.min(e, duration)]);
    const existing = context.progress;
    const before = existing ? parseIntervals(existing.watchedIntervals) : [];
    const merged = roundIntervals(mergeIntervals([...before, ...clamped]));
    const gained = coveredSeconds(merged) - coveredSeconds(before);
    const charge = chargeWatchClock({
      cursor: context.clock?.cursor ?? null,
      viewStartedAt: context.viewStartedAt,
      gainedSeconds: gained,
      now,
    });
    if (!charge.ok) return { ok: false, status: 422, error: "too_fast", retryAfterSeconds: charge.retryAfterSeconds };

    let completedAt = existing?.completedAt ?? null;
    let newlyCompleted = false;
    if (!completedAt) {
      const quizPassed = context.hasQuiz ? await hasPassedQuiz(userId, report.lessonId) : false;
      if (isLessonComplete({ intervals: merged, durationSeconds: duration, hasQuiz: context.hasQuiz, quizPassed })) {
        completedAt = now;
        newlyCompleted = true;
      }
    }
    const data = {
      watchedIntervals: serializeIntervals(merged),
      watchedSeconds: coveredSeconds(merged),
      lastPosition: Math.min(report.position, duration),
      completedAt,
      viewSeconds: viewSecondsBetween(existing?.updatedAt ?? null, context.viewStartedAt, now),
    };

    // The clock's move and the progress write happen together or not at all:
    // credit is never written without the time to have earned it. A race lost
    // to another report writes nothing, and the report is merged again.
    if (!(await writeCredit(userId, report.lessonId, context, charge.cursor, data, now))) continue;

    const courseCompleted = newlyCompleted ? await completeCourseIfDone(userId, context.courseId, now) : false;
    return {
      ok: true,
      watchedPercent: watchedPercent(merged, duration),
      completed: completedAt !== null,
      courseCompleted,
    };
  }
  throw new Error(`Progress for lesson ${report.lessonId} kept changing under ${MAX_WRITE_ATTEMPTS} attempts`);
}

export async function hasPassedQuiz(userId: string, lessonId: string): Promise<boolean> {
  const passed = await db.quizAttempt.findFirst({ where: { userId, lessonId, passed: true }, select: { id: true } });
  return passed !== null;
}

/** Called after a passed knowledge check: the video may already be watched. */
export async function completeLessonIfDone(userId: string, lessonId: string, now = new Date()) {
  const progress = await db.lessonProgress.findUnique({
    where: { userId_lessonId: { userId, lessonId } },
    select: {
      id: true,
      watchedIntervals: true,
      completedAt: true,
      lesson: { select: { courseId: true, durationSeconds: true, quiz: true } },
    },
  });
  if (!progress || progress.completedAt || !progress.lesson.durationSeconds) return false;
  const complete = isLessonComplete({
    intervals: parseIntervals(progress.watchedIntervals),
    durationSeconds: progress.lesson.durationSeconds,
    hasQuiz: Boolean(progress.lesson.quiz),
    quizPassed: await hasPassedQuiz(userId, lessonId),
  });
  if (!complete) return false;
  const { count } = await db.lessonProgress.updateMany({
    where: { id: progress.id, completedAt: null },
    data: { completedAt: now, version: { increment: 1 } },
  });
  if (count > 0) await completeCourseIfDone(userId, progress.lesson.courseId, now);
  return true;
}
