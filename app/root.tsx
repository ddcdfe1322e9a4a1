import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import {
  isRouteErrorResponse,
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  useRouteError,
  useRouteLoaderData,
} from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { useChangeLanguage } from "remix-i18next/react";
import { getOptionalUser } from "~/auth/auth.server";
import { SiteHeader } from "~/components/site-header";
import i18nextServer from "~/i18next.server";
import stylesheet from "~/styles/app.css?url";
import { useNonce } from "~/utils/nonce";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: stylesheet },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

export const meta: MetaFunction = () => [{ title: "Tập huấn" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const [locale, user] = await Promise.all([i18nextServer.getLocale(request), getOptionalUser(request)]);
  return { locale, user: user ? { name: user.name, role: user.role } : null };
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
  useChangeLanguage(locale);
  return <Outlet />;
}

// A client's mistake (a malformed form, a body too large: read-form.server.ts)
// gets a page that says so, never the "something went wrong" of a server error.
const ERROR_PAGES: Record<number, "notFound" | "forbidden" | "badRequest" | "tooLarge"> = {
  400: "badRequest",
  403: "forbidden",
  404: "notFound",
  413: "tooLarge",
};

export function ErrorBoundary() {
  const error = useRouteError();
  const { t } = useTranslation();
  const status = isRouteErrorResponse(error) ? error.status : 500;
  if (!isRouteErrorResponse(error)) console.error(error);
  const key = ERROR_PAGES[status] ?? (status >= 400 && status < 500 ? "badRequest" : "serverError");
  return (
    <div className="page narrow error-page" role="alert">
      <p className="error-code">{status}</p>
      <h1>{t(`errors.${key}.title`)}</h1>
      <p>{t(`errors.${key}.body`)}</p>
      <p>
        <a href="/">{t("errors.backHome")}</a>
      </p>
    </div>
  );
}
