/** m:ss, rounded down to the second, the way a player shows it: 3:27 for 207.9 seconds. The one m:ss formatter. */
export function formatClock(seconds: number): string {
  const whole = Math.max(0, Math.floor(seconds));
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, "0")}`;
}

/** Total running time in whole minutes, at least 1. */
export function minutes(seconds: number): number {
  return Math.max(1, Math.round(seconds / 60));
}

// Making an Intl formatter costs far more than using one (tens of
// microseconds, and a coverage page formats hundreds of figures): one per
// language and style, made on first use. Two languages, so the cache is bounded.
const dateFormats = new Map<string, Intl.DateTimeFormat>();
function dateFormat(locale: string, style: "date" | "dateTime"): Intl.DateTimeFormat {
  const tag = locale === "en" ? "en-GB" : "vi-VN";
  const key = `${tag} ${style}`;
  let format = dateFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(
      tag,
      style === "date"
        ? { dateStyle: "medium", timeZone: "Asia/Ho_Chi_Minh" }
        : { dateStyle: "short", timeStyle: "short", timeZone: "Asia/Ho_Chi_Minh" },
    );
    dateFormats.set(key, format);
  }
  return format;
}

export function formatDate(value: string | Date, locale: string): string {
  return dateFormat(locale, "date").format(new Date(value));
}

/** Date and time of day, in Vietnam's time zone so server and browser render the same. */
export function formatDateTime(value: string | Date, locale: string): string {
  return dateFormat(locale, "dateTime").format(new Date(value));
}

const percentFormats = new Map<string, Intl.NumberFormat>();
/** A number with at most one decimal, the way coverage shows a share: 70,5 (vi) or 70.5 (en). */
export function formatShare(value: number, locale: string): string {
  const tag = locale === "en" ? "en-GB" : "vi-VN";
  let format = percentFormats.get(tag);
  if (!format) {
    format = new Intl.NumberFormat(tag, { maximumFractionDigits: 1 });
    percentFormats.set(tag, format);
  }
  return format.format(value);
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
