import i18next, { createInstance, type i18n, type TFunction } from "i18next";
import { initReactI18next } from "react-i18next";
import { fallbackLanguage, i18nOptions, isLanguage, type Language } from "~/i18n";

// One i18next instance per language, made once: the translations are bundled
// and nothing on the server changes an instance's language or resources, so
// sharing one across requests can never be stale or personal. A new instance
// per request cost its init on every page (docs/decisions/150-pages-cheap-to-serve.md).
const instances = new Map<Language, Promise<i18n>>();

// The default instance, with both languages, for what runs outside React: the
// routes' `meta` (app/utils/meta.ts). Synchronous: the resources are in memory.
if (!i18next.isInitialized) void i18next.init({ ...i18nOptions, initImmediate: false });

/** The server's i18next instance for a language (the fallback for anything else). */
export function i18nFor(language: string): Promise<i18n> {
  const lng: Language = isLanguage(language) ? language : fallbackLanguage;
  let instance = instances.get(lng);
  if (!instance) {
    const created = createInstance();
    instance = created
      .use(initReactI18next)
      .init({ ...i18nOptions, lng })
      .then(() => created);
    instances.set(lng, instance);
  }
  return instance;
}

/** A translation function for one language and namespace, from the shared instance. */
export async function fixedT(language: string, ns: string): Promise<TFunction> {
  const lng = isLanguage(language) ? language : fallbackLanguage;
  return (await i18nFor(lng)).getFixedT(lng, ns);
}
