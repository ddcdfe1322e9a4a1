import { formatClock } from "~/utils/format";

// Decision 1079/QĐ-TTg, task V.3(b): MOOC lessons are videos of 3 to 5 minutes.
export const MIN_LESSON_SECONDS = 180;
export const MAX_LESSON_SECONDS = 300;

export type DurationCheck = { ok: true } | { ok: false; reason: "too_short" | "too_long"; measured: string };

export function checkLessonDuration(seconds: number): DurationCheck {
  // Container durations carry milliseconds: 300.02 s is still "5:00".
  const whole = Math.floor(seconds + 1e-6);
  if (whole < MIN_LESSON_SECONDS) return { ok: false, reason: "too_short", measured: formatClock(seconds) };
  if (whole > MAX_LESSON_SECONDS) return { ok: false, reason: "too_long", measured: formatClock(seconds) };
  return { ok: true };
}
