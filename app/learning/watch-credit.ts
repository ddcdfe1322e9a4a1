// How much watching the server believes. A person watches one video at a
// time, at most at the fastest rate the player offers, so across all of a
// learner's views — every lesson, every tab — the seconds of video credited
// can never outrun the server's own clock × that rate.
//
// The learner's watch clock is a server time: the moment by which all the
// video credited so far could have been played. A report that adds `gained`
// new seconds moves it from max(clock, the view's start) by gained / rate,
// and is refused if that would pass the present. Every credit so occupies its
// own stretch of server time after the view began, so for any set of reports
// the credit is at most rate × the wall time they span.
// docs/decisions/041-watch-credit.md.

/** The playback rates the player offers; the server's bound uses the fastest. */
export const PLAYBACK_RATES = [0.5, 0.75, 1, 1.25, 1.5, 1.75, 2] as const;
export const MAX_PLAYBACK_RATE = 2;

/** A view older than this cannot report; the player starts a new one. */
export const VIEW_LIFETIME_MS = 12 * 60 * 60 * 1000;

/** Players report every ten seconds while playing; a longer gap is a pause, not viewing. */
export const VIEW_GAP_CAP_SECONDS = 30;

export type ClockCharge = { ok: true; cursor: Date | null } | { ok: false; retryAfterSeconds: number };

/**
 * What crediting `gainedSeconds` does to the learner's clock: the new cursor,
 * or how long until the server could believe it. Nothing gained, nothing
 * charged (cursor null: leave the clock as it is).
 */
export function chargeWatchClock(input: {
  cursor: Date | null;
  viewStartedAt: Date;
  gainedSeconds: number;
  now: Date;
}): ClockCharge {
  if (input.gainedSeconds <= 0) return { ok: true, cursor: null };
  const base = Math.max(input.cursor?.getTime() ?? Number.NEGATIVE_INFINITY, input.viewStartedAt.getTime());
  const next = base + (input.gainedSeconds / MAX_PLAYBACK_RATE) * 1000;
  const now = input.now.getTime();
  if (next > now) return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((next - now) / 1000)) };
  return { ok: true, cursor: new Date(next) };
}

export function isViewLive(startedAt: Date, now: Date): boolean {
  const age = now.getTime() - startedAt.getTime();
  return age >= 0 && age <= VIEW_LIFETIME_MS;
}

/**
 * Server-measured viewing time a report adds to its lesson: the wall time
 * since the lesson's last report (or the view's start, if later), capped so a
 * pause does not count as viewing.
 */
export function viewSecondsBetween(previous: Date | null, viewStartedAt: Date, now: Date): number {
  const since = Math.max(previous?.getTime() ?? 0, viewStartedAt.getTime());
  const seconds = (now.getTime() - since) / 1000;
  return Math.min(VIEW_GAP_CAP_SECONDS, Math.max(0, seconds));
}
