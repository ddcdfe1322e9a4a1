/** m:ss, rounded down to the second, the way a player shows it: 3:27 for 207.9 seconds. The one m:ss formatter. */
export function formatClock(seconds: number): string {
  const whole = Math.max(0, Math.floor(seconds));
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, "0")}`;
}

/** Total running time in whole minutes, at least 1. */
export function minutes(seconds: number): number {
  return Math.max(1, Math.round(seconds / 60));
}

export function formatDate(value: string | Date, locale: string): string {
  return new Intl.DateTimeFormat(locale === "en" ? "en-GB" : "vi-VN", {
    dateStyle: "medium",
    timeZone: "Asia/Ho_Chi_Minh",
  }).format(new Date(value));
}

/** Date and time of day, in Vietnam's time zone so server and browser render the same. */
export function formatDateTime(value: string | Date, locale: string): string {
  return new Intl.DateTimeFormat(locale === "en" ? "en-GB" : "vi-VN", {
    dateStyle: "short",
    timeStyle: "short",
    timeZone: "Asia/Ho_Chi_Minh",
  }).format(new Date(value));
}

const LANGUAGE_NAMES: Record<string, { vi: string; en: string }> = {
  vi: { vi: "Tiếng Việt", en: "Vietnamese" },
  en: { vi: "Tiếng Anh", en: "English" },
  km: { vi: "Tiếng Khmer", en: "Khmer" },
  hmn: { vi: "Tiếng H'Mông", en: "Hmong" },
};

export function languageName(tag: string, uiLocale: string): string {
  const names = LANGUAGE_NAMES[tag];
  if (names) return uiLocale === "en" ? names.en : names.vi;
  try {
    return new Intl.DisplayNames([uiLocale], { type: "language" }).of(tag) ?? tag;
  } catch {
    return tag;
  }
}
