// Coverage counts whole calendar days. A day is an integer: days since
// 1970-01-01, the UTC midnight that stands for that date in the database. A
// month is year * 12 + (month - 1). Integers compare the same way in SQLite,
// PostgreSQL and JavaScript, which the summary table relies on.

const DAY_MS = 86_400_000;
// Vietnam has kept UTC+7 without daylight saving since 1975.
const VIETNAM_OFFSET_MS = 7 * 60 * 60 * 1000;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Day number of an ISO date (YYYY-MM-DD); null when it is not a real calendar date. */
export function parseIsoDay(value: string): number | null {
  const match = ISO_DATE.exec(value);
  if (!match) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const ms = Date.UTC(year, month - 1, day);
  const check = new Date(ms);
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return null;
  return ms / DAY_MS;
}

export function isoOfDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** The day a stored date (UTC midnight) stands for. */
export function dayOfDate(date: Date): number {
  return Math.floor(date.getTime() / DAY_MS);
}

export function dateOfDay(day: number): Date {
  return new Date(day * DAY_MS);
}

/** The calendar day in Vietnam at an instant: a course finished at 06:00 on 1 January counts for 1 January. */
export function vietnamDay(instant: Date): number {
  return Math.floor((instant.getTime() + VIETNAM_OFFSET_MS) / DAY_MS);
}

export function monthOfDay(day: number): number {
  const date = new Date(day * DAY_MS);
  return date.getUTCFullYear() * 12 + date.getUTCMonth();
}

export function lastDayOfMonth(month: number): number {
  return Date.UTC(Math.floor(month / 12), (month % 12) + 1, 1) / DAY_MS - 1;
}

/** "2024-03" for the month index of March 2024. */
export function monthLabel(month: number): string {
  return `${Math.floor(month / 12)}-${String((month % 12) + 1).padStart(2, "0")}`;
}
