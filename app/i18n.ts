import type { InitOptions } from "i18next";
import enAdmin from "~/locales/en/admin.json";
import enAccount from "~/locales/en/account.json";
import enCatalog from "~/locales/en/catalog.json";
import enCertificates from "~/locales/en/certificates.json";
import enCommon from "~/locales/en/common.json";
import enCoverage from "~/locales/en/coverage.json";
import enLearn from "~/locales/en/learn.json";
import enOperations from "~/locales/en/operations.json";
import enPeople from "~/locales/en/people.json";
import enTeach from "~/locales/en/teach.json";
import viAdmin from "~/locales/vi/admin.json";
import viAccount from "~/locales/vi/account.json";
import viCatalog from "~/locales/vi/catalog.json";
import viCertificates from "~/locales/vi/certificates.json";
import viCommon from "~/locales/vi/common.json";
import viCoverage from "~/locales/vi/coverage.json";
import viLearn from "~/locales/vi/learn.json";
import viOperations from "~/locales/vi/operations.json";
import viPeople from "~/locales/vi/people.json";
import viTeach from "~/locales/vi/teach.json";

// Vietnamese first: it is the default for every visitor until they choose
// English, whatever their browser says.
export const supportedLanguages = ["vi", "en"] as const;
export type Language = (typeof supportedLanguages)[number];
export const fallbackLanguage: Language = "vi";
export const defaultNS = "common";

// Translations are bundled: a few kilobytes, and no request before first paint.
export const resources = {
  vi: {
    common: viCommon,
    account: viAccount,
    admin: viAdmin,
    catalog: viCatalog,
    certificates: viCertificates,
    learn: viLearn,
    teach: viTeach,
    coverage: viCoverage,
    operations: viOperations,
    people: viPeople,
  },
  en: {
    common: enCommon,
    account: enAccount,
    admin: enAdmin,
    catalog: enCatalog,
    certificates: enCertificates,
    learn: enLearn,
    teach: enTeach,
    coverage: enCoverage,
    operations: enOperations,
    people: enPeople,
  },
} as const;

export const i18nOptions = {
  supportedLngs: [...supportedLanguages],
  fallbackLng: fallbackLanguage,
  defaultNS,
  ns: Object.keys(resources.vi),
  resources,
  interpolation: { escapeValue: false },
} satisfies InitOptions;

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
