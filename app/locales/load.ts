import type { i18n } from "i18next";
import type { Language, resources } from "~/i18n";

// No Vietnamese fallback is loaded under English: both languages have the same keys
// (tests/integration/*-translations.test.ts, app/utils/meta.test.ts).
export type LanguageResources = (typeof resources)[Language];

/** One language's translations, as its own chunk: a page downloads only the language it shows. */
export function languageResources(language: Language): Promise<LanguageResources> {
  return language === "en"
    ? import("~/locales/en").then((module) => module.default)
    : import("~/locales/vi").then((module) => module.default);
}

/** Adds a language's translations to the browser's i18next the first time that language is shown. */
export async function loadLanguage(instance: i18n, language: Language): Promise<void> {
  if (instance.hasResourceBundle(language, "common")) return;
  const resources = await languageResources(language);
  for (const [ns, bundle] of Object.entries(resources)) instance.addResourceBundle(language, ns, bundle);
}
