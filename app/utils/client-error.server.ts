import { languageCookie } from "~/i18next.server";
import { fallbackLanguage, resources, supportedLanguages, type Language } from "~/i18n";
import { logger, redactPath } from "./logger.server";

// Errors Express raises before a request reaches Remix, or that escape it: a
// URL that does not decode (`/%E0%A4%A`), a body it cannot read, a fault in
// a middleware. Express would answer with a bare English page (and print a
// stack trace); the person gets a short page in their language with a way
// home, and the log one line: a warning for their mistake, an error with
// the stack for ours.

type ExpressError = { status?: unknown; statusCode?: unknown; message?: unknown; type?: unknown };
type NodeRequest = { method?: string; url?: string; headers: { cookie?: string } };
type NodeResponse = {
  headersSent: boolean;
  status(code: number): NodeResponse;
  set(headers: Record<string, string>): NodeResponse;
  send(body: string): unknown;
};

function clientStatus(error: ExpressError | null): number | null {
  const status = Number(error?.status ?? error?.statusCode);
  return Number.isInteger(status) && status >= 400 && status < 500 ? status : null;
}

/**
 * The language the pages use: the visitor's choice (the cookie), Vietnamese
 * otherwise. Not Accept-Language, as for every page (app/i18next.server.ts).
 */
async function languageOf(cookieHeader: string | undefined): Promise<Language> {
  const chosen: unknown = await languageCookie.parse(cookieHeader ?? null).catch(() => null);
  return supportedLanguages.find((language) => language === chosen) ?? fallbackLanguage;
}

const escapeHtml = (text: string) => text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

/** A self-contained page (no script, no stylesheet: it must render whatever failed) with a link home. */
export function errorPageHtml(language: Language, page: { status: number; title: string; body: string }): string {
  const home = resources[language].common.errors.backHome;
  return `<!DOCTYPE html>
<html lang="${language}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(page.title)} · Tập huấn</title></head>
<body>
<main role="alert"><p>${page.status}</p><h1>${escapeHtml(page.title)}</h1><p>${escapeHtml(page.body)}</p><p><a href="/">${escapeHtml(home)}</a></p></main>
</body></html>`;
}

export function badRequestPage(language: Language): string {
  return errorPageHtml(language, { status: 400, ...resources[language].common.errors.badRequest });
}

function serverErrorPage(language: Language): string {
  return errorPageHtml(language, { status: 500, ...resources[language].common.errors.serverError });
}

/** Express error middleware, last in server.js: every error that reaches Express gets the app's own page. */
export function errorPageHandler(
  error: ExpressError | null,
  req: NodeRequest,
  res: NodeResponse,
  next: (error: unknown) => void,
) {
  if (res.headersSent) return next(error);
  const status = clientStatus(error);
  const path = redactPath(req.url ?? "");
  if (status === null) logger.error({ err: error, method: req.method, path }, "request failed before Remix");
  else logger.warn({ status, method: req.method, path, reason: String(error?.message ?? "") }, "client error");
  void languageOf(req.headers.cookie).then((language) =>
    res
      .status(status ?? 500)
      .set({ "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" })
      .send(status === null ? serverErrorPage(language) : clientErrorPage(language, status)),
  );
}

/** Another 4xx from Express (a method it refuses, a header too large): said as the root ErrorBoundary says it. */
function clientErrorPage(language: Language, status: number): string {
  const errors = resources[language].common.errors;
  const page =
    status === 413
      ? errors.tooLarge
      : status === 404
        ? errors.notFound
        : status === 403
          ? errors.forbidden
          : errors.badRequest;
  return errorPageHtml(language, { status, ...page });
}
