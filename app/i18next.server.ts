import { createCookie } from "@remix-run/node";
import { RemixI18Next } from "remix-i18next/server";
import { fallbackLanguage, i18nOptions, supportedLanguages } from "~/i18n";

export const languageCookie = createCookie("th_lang", {
  path: "/",
  sameSite: "lax",
  httpOnly: true,
  maxAge: 60 * 60 * 24 * 365,
});

const i18next = new RemixI18Next({
  detection: {
    supportedLanguages: [...supportedLanguages],
    fallbackLanguage,
    cookie: languageCookie,
    // Not the Accept-Language header: the UI is Vietnamese until a person picks English.
    order: ["searchParams", "cookie"],
  },
  i18next: i18nOptions,
});

export default i18next;
