import { RemixBrowser } from "@remix-run/react";
import i18next from "i18next";
import { startTransition, StrictMode } from "react";
import { hydrateRoot } from "react-dom/client";
import { I18nextProvider, initReactI18next } from "react-i18next";
import { fallbackLanguage, i18nBaseOptions, isLanguage } from "~/i18n";
import { languageResources } from "~/locales/load";

async function hydrate() {
  const lang = document.documentElement.lang;
  const lng = isLanguage(lang) ? lang : fallbackLanguage;
  // Only the language the server rendered (its chunk is preloaded by the root,
  // so no extra round trip); another one loads if the page switches (root.tsx).
  await i18next.use(initReactI18next).init({
    ...i18nBaseOptions,
    lng,
    resources: { [lng]: await languageResources(lng) },
  });
  startTransition(() => {
    hydrateRoot(
      document,
      <I18nextProvider i18n={i18next}>
        <StrictMode>
          <RemixBrowser />
        </StrictMode>
      </I18nextProvider>,
    );
  });
}

void hydrate();
