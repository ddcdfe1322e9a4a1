import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Links, Meta, Outlet, Scripts, ScrollRestoration, useRouteLoaderData } from "@remix-run/react";
import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import { getOptionalUser } from "~/auth/auth.server";
import { ErrorPage } from "~/components/error-page";
import { SiteHeader } from "~/components/site-header";
import { isLanguage } from "~/i18n";
import i18nextServer from "~/i18next.server";
import { loadLanguage } from "~/locales/load";
import stylesheet from "~/styles/app.css?url";
import { languageChunkUrls } from "~/utils/client-chunks.server";
import { useNonce } from "~/utils/nonce";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: stylesheet },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

export const meta: MetaFunction = () => [{ title: "Tập huấn" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const [locale, user] = await Promise.all([i18nextServer.getLocale(request), getOptionalUser(request)]);
  return {
    locale,
    user: user ? { name: user.name, role: user.role } : null,
    // The page's language's translations, fetched with the entry script rather than after it.
    languageChunks: languageChunkUrls(locale),
  };
}

export const handle = { i18n: ["common"] };

export function Layout({ children }: { children: React.ReactNode }) {
  const data = useRouteLoaderData<typeof loader>("root");
  const locale = data?.locale ?? "vi";
  const { t } = useTranslation();
  const nonce = useNonce();
  return (
    <html lang={locale} dir="ltr">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
        {data?.languageChunks.map((href) => (
          <link key={href} rel="modulepreload" href={href} />
        ))}
      </head>
      <body>
        <a className="skip-link" href="#main">
          {t("skipToContent")}
        </a>
        <SiteHeader user={data?.user ?? null} locale={locale} />
        <main id="main" tabIndex={-1}>
          {children}
        </main>
        <footer className="site-footer">
          <p>{t("footer")}</p>
        </footer>
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  const { locale } = useRouteLoaderData<typeof loader>("root") ?? { locale: "vi" };
  const { i18n } = useTranslation();
  // The browser holds only the language it started in: another (after the language
  // switch or a sign-in) is loaded before i18next changes to it.
  useEffect(() => {
    if (!isLanguage(locale) || i18n.language === locale) return;
    let current = true;
    void loadLanguage(i18n, locale).then(() => {
      if (current) void i18n.changeLanguage(locale);
    });
    return () => {
      current = false;
    };
  }, [locale, i18n]);
  return <Outlet />;
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
