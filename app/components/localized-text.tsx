import { Trans, useTranslation } from "react-i18next";
import { fallbackLang, localized } from "~/i18n";

/**
 * A name kept in Vietnamese and, when there is one, in English: the English
 * interface shows the English one, or falls back to the Vietnamese marked
 * lang="vi", so a screen reader reads it with Vietnamese pronunciation
 * (WCAG 3.1.2 Language of Parts).
 */
export function Localized({ vi, en }: { vi: string; en: string | null | undefined }) {
  const { i18n } = useTranslation();
  const lang = fallbackLang(i18n.language, en);
  return lang ? <span lang={lang}>{vi}</span> : <>{localized(i18n.language, vi, en)}</>;
}

/**
 * A translated sentence that names such a thing: its text holds the name as
 * `<name>{{name}}</name>`, so a Vietnamese fallback inside an English sentence
 * is marked lang="vi" as `<Localized>` marks it on its own. The name is
 * escaped before the sentence's tags are read, so a "<" in it stays text.
 */
export function SentenceWithName({
  ns,
  i18nKey,
  vi,
  en,
  values,
}: {
  ns: string;
  i18nKey: string;
  vi: string;
  en: string | null | undefined;
  values?: Record<string, string | number>;
}) {
  const { t, i18n } = useTranslation(ns);
  return (
    <Trans
      t={t}
      i18nKey={i18nKey}
      values={{ ...values, name: localized(i18n.language, vi, en) }}
      components={{ name: <span lang={fallbackLang(i18n.language, en)} /> }}
      tOptions={{ interpolation: { escapeValue: true } }}
      shouldUnescape
    />
  );
}
