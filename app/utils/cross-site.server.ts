import i18nextServer from "~/i18next.server";
import { crossSiteVerdict, originOf } from "~/utils/cross-site";
import { getEnv } from "~/utils/env.server";
import { logger, redactPath } from "~/utils/logger.server";

/** What the guard needs of a request, as any server (Express, Vite's connect, a test) has it. */
export type GuardedRequest = {
  method: string;
  /** Path and query, as on the request line. */
  url: string;
  header: (name: string) => string | null;
  /** scheme://host[:port] the request was addressed to (proxy-aware where the server trusts one). */
  requestOrigin: string;
};

export type Refusal = { status: 403; contentType: string; body: string };

/**
 * null when the request may go on; otherwise the 403 to answer with:
 * JSON under /api/, a short sentence in the person's language elsewhere.
 */
export async function crossSiteRefusal(request: GuardedRequest): Promise<Refusal | null> {
  const path = request.url.split("?")[0] ?? "/";
  const ownOrigins = [originOf(getEnv().publicUrl), originOf(request.requestOrigin)].filter(
    (o): o is string => o !== null,
  );
  const verdict = crossSiteVerdict({
    method: request.method,
    path,
    fetchSite: request.header("sec-fetch-site"),
    origin: request.header("origin"),
    ownOrigins,
  });
  if (verdict.allowed) return null;
  logger.warn({ method: request.method, path: redactPath(path), reason: verdict.reason }, "cross-site request refused");
  if (path.startsWith("/api/")) {
    return {
      status: 403,
      contentType: "application/json; charset=utf-8",
      body: JSON.stringify({ ok: false, error: "cross-site request refused" }),
    };
  }
  const cookie = request.header("cookie");
  const locale = await i18nextServer.getLocale(
    new Request(new URL(path, "http://localhost"), { headers: cookie ? { cookie } : {} }),
  );
  const t = await i18nextServer.getFixedT(locale, "common");
  return { status: 403, contentType: "text/plain; charset=utf-8", body: t("errors.crossSite") };
}

/** The guard asked with a Fetch API Request, as the route tests hold one. */
export function crossSiteRefusalFor(request: Request): Promise<Refusal | null> {
  const url = new URL(request.url);
  return crossSiteRefusal({
    method: request.method,
    url: url.pathname + url.search,
    header: (name) => request.headers.get(name),
    requestOrigin: url.origin,
  });
}
