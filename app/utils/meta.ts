import { fallbackLanguage, isLanguage, resources, type Language } from "~/i18n";

// Tab titles in the page's language. `meta` runs outside React, so it cannot
// use the i18next hook: it reads the locale the root loader chose from the
// route matches and looks the title up in the bundled resources.

type Titles = (typeof resources)[Language]["common"]["titles"];
export type TitleKey = keyof Titles;
type Match = { id: string; data?: unknown };

/** The page's language, as the root loader decided it (cookie, then account). */
export function metaLanguage(matches: readonly Match[]): Language {
  const root = matches.find((match) => match.id === "root")?.data as { locale?: unknown } | undefined;
  return isLanguage(root?.locale) ? root.locale : fallbackLanguage;
}

/** Every tab title in the page's language. */
export function metaTitles(matches: readonly Match[]): Titles {
  return resources[metaLanguage(matches)].common.titles;
}

/** "Đăng nhập · Tập huấn", or "Log in · Tập huấn" for an English page. */
export function pageTitle(matches: readonly Match[], key: TitleKey): string {
  const titles = metaTitles(matches);
  return `${titles[key]} · ${titles.site}`;
}
