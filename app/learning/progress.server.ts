import { z } from "zod";
import { db } from "~/utils/db.server";
import { isUniqueViolation } from "~/utils/db-errors";
import { isLessonComplete, watchedPercent } from "./completion";
import { coveredSeconds, isSortedAndDisjoint, mergeIntervals, roundIntervals, type Interval } from "./intervals";
import { completeCourseIfDone } from "./course-completion.server";
import { loadProgressContext, updateProgressIfUnchanged } from "./progress-store.server";

// What the player sends: the ranges actually played since its last report
// (sorted, disjoint), and where the playhead is now.
export const ProgressReportSchema = z
  .object({
    lessonId: z.string().min(1).max(40),
    intervals: z
      .array(z.tuple([z.number().finite().min(0), z.number().finite().min(0)]))
      .max(100),
    position: z.number().finite().min(0),
  })
  .strict();

export type ProgressReport = z.infer<typeof ProgressReportSchema>;

// Players report the end a few hundredths past the container's duration.
const DURATION_TOLERANCE_SECONDS = 0.5;
// Credit per report is bounded by the wall-clock time since the last one at
// the fastest playback rate the player offers, plus the reporting period.
export const MAX_PLAYBACK_RATE = 16;
const REPORT_SLACK_SECONDS = 10;
// Concurrent reports for one learner and lesson are rare (one player per
// page), but a flaky network can replay a burst; each round lets one through.
const MAX_WRITE_ATTEMPTS = 50;

export type ProgressOutcome =
  | { ok: true; watchedPercent: number; completed: boolean; courseCompleted: boolean }
  | { ok: false; status: 403 | 404 | 422; error: "not_enrolled" | "unknown_lesson" | "invalid_intervals" | "implausible" };

export function parseIntervals(json: string): Interval[] {
  return z.array(z.tuple([z.number(), z.number()])).parse(JSON.parse(json));
}

export async function recordProgress(userId: string, report: ProgressReport, now = new Date()): Promise<ProgressOutcome> {
  const incoming = report.intervals as Interval[];
  for (let attempt = 0; attempt < MAX_WRITE_ATTEMPTS; attempt++) {
    if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, Math.random() * 2 * attempt));
    const context = await loadProgressContext(userId, report.lessonId);
    if (!context || !context.durationSeconds || !context.published) {
      return { ok: false, status: 404, error: "unknown_lesson" };
    }
    if (!context.enrolled) return { ok: false, status: 403, error: "not_enrolled" };

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
    const elapsed = existing ? Math.max(0, (now.getTime() - existing.updatedAt.getTime()) / 1000) : 0;
    if (gained > (elapsed + REPORT_SLACK_SECONDS) * MAX_PLAYBACK_RATE) {
      return { ok: false, status: 422, error: "implausible" };
    }

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
      watchedIntervals: JSON.stringify(merged),
      watchedSeconds: coveredSeconds(merged),
      lastPosition: Math.min(report.position, duration),
      completedAt,
    };

    if (!existing) {
      try {
        await db.lessonProgress.create({ data: { ...data, userId, lessonId: report.lessonId, updatedAt: now } });
      } catch (error) {
        if (isUniqueViolation(error)) continue; // another report created it first
        throw error;
      }
    } else if (!(await updateProgressIfUnchanged(existing.id, existing.version, data, now))) {
      continue; // someone wrote in between: merge again
    }

    const courseCompleted = newlyCompleted ? await completeCourseIfDone(userId, context.courseId, now) : false;
    return { ok: true, watchedPercent: watchedPercent(merged, duration), completed: completedAt !== null, courseCompleted };
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
    select: { id: true, watchedIntervals: true, completedAt: true, lesson: { select: { courseId: true, durationSeconds: true, quiz: true } } },
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
