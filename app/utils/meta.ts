import i18next from "i18next";
import { fallbackLanguage, isLanguage, type Language } from "~/i18n";
import type viResources from "~/locales/vi";

// Tab titles in the page's language. `meta` runs outside React, so it cannot
// use the i18next hook: it reads the locale the root loader chose from the
// route matches and looks the title up in i18next's default instance. In the
// browser that instance holds the page's language (app/entry.client.tsx); on
// the server it holds both (app/i18n-instances.server.ts).

type Titles = (typeof viResources)["common"]["titles"];
export type TitleKey = keyof Titles;
type Match = { id: string; data?: unknown };

/** The page's language, as the root loader decided it (cookie, then account). */
export function metaLanguage(matches: readonly Match[]): Language {
  const root = matches.find((match) => match.id === "root")?.data as { locale?: unknown } | undefined;
  return isLanguage(root?.locale) ? root.locale : fallbackLanguage;
}

/** Every tab title in the page's language (Vietnamese while that language is still loading). */
export function metaTitles(matches: readonly Match[]): Titles {
  const titles = (language: Language) => i18next.getResource(language, "common", "titles") as Titles | undefined;
  return titles(metaLanguage(matches)) ?? titles(fallbackLanguage) ?? ({ site: "Tập huấn" } as Titles);
}

/** "Đăng nhập · Tập huấn", or "Log in · Tập huấn" for an English page. */
export function pageTitle(matches: readonly Match[], key: TitleKey): string {
  const titles = metaTitles(matches);
  return `${titles[key]} · ${titles.site}`;
}
