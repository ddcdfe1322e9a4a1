import { languageCookie } from "~/i18next.server";
import { fallbackLanguage, resources, supportedLanguages, type Language } from "~/i18n";
import { logger, redactPath } from "./logger.server";

// Errors Express raises before a request reaches Remix, the client's own
// doing: a URL that does not decode (`/%E0%A4%A`), a body it cannot read.
// Express would answer with a bare English page and print a stack trace; the
// person gets a short page in their language and the log one warn line.

type ClientError = { status?: unknown; statusCode?: unknown; message?: unknown; type?: unknown };
type NodeRequest = { method?: string; url?: string; headers: { cookie?: string } };
type NodeResponse = {
  headersSent: boolean;
  status(code: number): NodeResponse;
  set(headers: Record<string, string>): NodeResponse;
  send(body: string): unknown;
};

function clientStatus(error: ClientError | null): number | null {
  const status = Number(error?.status ?? error?.statusCode);
  return Number.isInteger(status) && status >= 400 && status < 500 ? status : null;
}

/** The language the pages use: the visitor's choice (the cookie), Vietnamese otherwise. */
async function languageOf(cookieHeader: string | undefined): Promise<Language> {
  const chosen: unknown = await languageCookie.parse(cookieHeader ?? null).catch(() => null);
  return supportedLanguages.find((language) => language === chosen) ?? fallbackLanguage;
}

const escapeHtml = (text: string) => text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

export function badRequestPage(language: Language): string {
  const { title, body } = resources[language].common.errors.badRequest;
  const home = resources[language].common.errors.backHome;
  return `<!DOCTYPE html>
<html lang="${language}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · Tập huấn</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 36rem; margin: 3rem auto; padding: 0 1rem">
<h1>${escapeHtml(title)}</h1><p>${escapeHtml(body)}</p><p><a href="/">${escapeHtml(home)}</a></p>
</body></html>`;
}

/** Express error middleware, last in server.js: 4xx answered here, everything else to Express. */
export function clientErrorHandler(error: ClientError | null, req: NodeRequest, res: NodeResponse, next: (error: unknown) => void) {
  const status = clientStatus(error);
  if (status === null || res.headersSent) return next(error);
  logger.warn({ status, method: req.method, path: redactPath(req.url ?? ""), reason: String(error?.message ?? "") }, "client error");
  void languageOf(req.headers.cookie).then((language) =>
    res.status(status).set({ "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" }).send(badRequestPage(language)),
  );
}
