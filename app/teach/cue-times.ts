import { formatClock } from "~/utils/format";

// Cue times as trainers read and type them. Free of server code: the cue
// recorder ships this to browsers.

/** "m:ss", "h:mm:ss" or plain seconds ("83.5"), as a trainer types a cue time. */
export function parseClock(value: string): number | null {
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed);
  const match = /^(?:(\d+):)?(\d{1,2}):(\d{2}(?:\.\d+)?)$/.exec(trimmed);
  if (!match) return null;
  const [, hours, minutes, seconds] = match;
  if (Number(seconds) >= 60) return null;
  return Number(hours ?? 0) * 3600 + Number(minutes) * 60 + Number(seconds);
}

/** The inverse of parseClock for the cue editor: 83.5 → "1:23.5". */
export function formatCue(seconds: number): string {
  const tenths = Math.round(seconds * 10);
  const whole = Math.floor(tenths / 10);
  const fraction = tenths % 10;
  return `${formatClock(whole)}${fraction ? `.${fraction}` : ""}`;
}
