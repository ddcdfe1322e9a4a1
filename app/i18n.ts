import type { InitOptions } from "i18next";
import enResources from "~/locales/en";
import viResources from "~/locales/vi";

// Vietnamese first: it is the default for every visitor until they choose
// English, whatever their browser says.
export const supportedLanguages = ["vi", "en"] as const;
export type Language = (typeof supportedLanguages)[number];
export const fallbackLanguage: Language = "vi";
export const defaultNS = "common";

/** Both languages' translations, for the server (and tests). A browser gets only its
 * page's language, as its own chunk (app/locales/load.ts, docs/decisions/170-player-bytes.md). */
export const resources = { vi: viResources, en: enResources } as const;

// A list, not Object.keys(resources.vi): the client bundle must not hold the resources.
export const namespaces = [
  "common",
  "account",
  "admin",
  "catalog",
  "certificates",
  "learn",
  "teach",
  "coverage",
  "operations",
  "people",
] as const satisfies readonly (keyof typeof viResources)[];

/** i18next's settings without the translations: the client adds its one language. */
export const i18nBaseOptions = {
  supportedLngs: [...supportedLanguages],
  fallbackLng: fallbackLanguage,
  defaultNS,
  ns: namespaces,
  interpolation: { escapeValue: false },
} satisfies InitOptions;

export const i18nOptions = { ...i18nBaseOptions, resources } satisfies InitOptions;

export function isLanguage(value: unknown): value is Language {
  return typeof value === "string" && (supportedLanguages as readonly string[]).includes(value);
}

/** Picks the Vietnamese or English variant of a bilingual field. */
export function localized(language: string, vi: string, en: string | null | undefined): string {
  return language === "en" && en ? en : vi;
}

/** `"vi"` when the English interface shows a field's Vietnamese variant for want of an English one:
 * the `lang` of the element that holds it, so a screen reader reads it in Vietnamese (WCAG 3.1.2). */
export function fallbackLang(language: string, en: string | null | undefined): "vi" | undefined {
  return language === "en" && !en ? "vi" : undefined;
}
