import { createHash } from "node:crypto";
import { brotliCompressSync, constants, gunzipSync, gzipSync } from "node:zlib";
import { readSessionTokenFromCookie, validateSessionToken } from "~/auth/session.server";
import i18nextServer from "~/i18next.server";
import { catalogValidity } from "./catalog.server";
import { catalogVersion } from "./catalog-version.server";

// The catalog page (`/` without a query) is the same for everyone who reads
// the same language and has the same name and role in the header (no name and
// role for a visitor), until the catalog changes: nothing else on it depends
// on who asks. It is rendered once per such key and catalog version,
// compressed once, and then answered by server.js without Remix, React or a
// compressor. Its inline scripts are allowed by their SHA-256 in the
// Content-Security-Policy instead of a per-request nonce, which a stored page
// cannot carry. docs/decisions/165-catalog-read-model.md.

export type Encoding = "br" | "gzip" | "identity";

export type CachedPage = {
  /** `'sha256-…'` sources for script-src, one per inline script of the page. */
  scriptHashes: readonly string[];
  br: Buffer;
  gzip: Buffer;
};

type Entry = { version: number; until: Date | null; page: CachedPage };

/** Renders a request through the app (Remix) without a CSP nonce. */
export type RenderPage = (request: Request) => Promise<Response>;

// Signed-in people each have a page of their own name: the least recently
// asked are dropped past this many (about 30 KB each, both codings).
export const MAX_KEPT_PAGES = 1000;

const INLINE_SCRIPT = /<script\b(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/gi;

/** The CSP hash source of every inline script in a page, as the browser computes it. */
export function inlineScriptHashes(html: string): string[] {
  const hashes = new Set<string>();
  for (const [, body] of html.matchAll(INLINE_SCRIPT)) {
    if (body) hashes.add(`'sha256-${createHash("sha256").update(body, "utf8").digest("base64")}'`);
  }
  return [...hashes];
}

/**
 * The coding to answer with, as the compression middleware would choose it:
 * br, else gzip, else none; `*` stands for any coding not named, `q=0` refuses.
 * `offered`: the codings the page is kept in (the lesson page has no br).
 */
export function chooseEncoding(
  acceptEncoding: string | null | undefined,
  offered: readonly Exclude<Encoding, "identity">[] = ["br", "gzip"],
): Encoding {
  const q = new Map<string, number>();
  for (const part of (acceptEncoding ?? "").split(",")) {
    const [name, ...params] = part.trim().toLowerCase().split(";");
    if (!name) continue;
    const weight = params.map((p) => /^\s*q=([01](?:\.\d{0,3})?)\s*$/.exec(p)).find(Boolean);
    q.set(name, weight ? Number(weight[1]) : 1);
  }
  const accepted = (coding: string) => (q.get(coding) ?? q.get("*") ?? 0) > 0;
  return offered.find(accepted) ?? "identity";
}

/** The page's body in a coding. */
export function bodyIn(page: CachedPage, encoding: Encoding): Buffer {
  return encoding === "identity" ? gunzipSync(page.gzip) : page[encoding];
}

/** What the page shows of who asks, as the root loader gives it: their name and role, or nothing. */
async function headerKey(locale: string, cookie: string | null): Promise<string> {
  const token = readSessionTokenFromCookie(cookie);
  const user = token ? ((await validateSessionToken(token))?.user ?? null) : null;
  return JSON.stringify([locale, user ? [user.name, user.role] : null]);
}

function compress(html: string): Pick<CachedPage, "br" | "gzip"> {
  const body = Buffer.from(html, "utf8");
  return {
    gzip: gzipSync(body, { level: 9 }),
    br: brotliCompressSync(body, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
        [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
        [constants.BROTLI_PARAM_SIZE_HINT]: body.length,
      },
    }),
  };
}

/**
 * The cache of catalog pages. `answer` gives the page for a request it may
 * serve (null for any other URL, or when the page could not be kept),
 * rendering it first when the catalog changed since.
 */
export function catalogPages(render: RenderPage, maxPages = MAX_KEPT_PAGES) {
  const entries = new Map<string, Entry>();
  const filling = new Map<string, Promise<Entry | null>>();

  async function fill(key: string, locale: string, origin: string, cookie: string | null): Promise<Entry | null> {
    // The version is read before the page: a write while it renders leaves
    // the page under the older version, so the next request renders again.
    const { version, until } = await catalogValidity();
    const response = await render(
      new Request(`${origin}/`, { headers: { accept: "text/html", ...(cookie ? { cookie } : {}) } }),
    );
    const html = await response.text();
    if (response.status !== 200 || response.headers.has("set-cookie")) return null;
    const entry: Entry = { version, until, page: { scriptHashes: inlineScriptHashes(html), ...compress(html) } };
    // A name or role changed while the page rendered: it is right for this
    // request, not for the key it was asked under.
    if ((await headerKey(locale, cookie)) !== key) return entry;
    entries.set(key, entry);
    if (entries.size > maxPages) entries.delete(entries.keys().next().value!);
    return entry;
  }

  return async function answer(request: {
    url: string;
    cookie: string | null;
    origin: string;
    now?: Date;
  }): Promise<CachedPage | null> {
    if (request.url !== "/") return null;
    const locale = await i18nextServer.getLocale(
      new Request(`${request.origin}/`, { headers: request.cookie ? { cookie: request.cookie } : {} }),
    );
    const key = await headerKey(locale, request.cookie);
    const now = request.now ?? new Date();
    const entry = entries.get(key);
    if (entry && (entry.until === null || now < entry.until) && entry.version === (await catalogVersion())) {
      // Most recently asked last: the first key is the one to drop.
      entries.delete(key);
      entries.set(key, entry);
      return entry.page;
    }
    let pending = filling.get(key);
    if (!pending) {
      pending = fill(key, locale, request.origin, request.cookie).finally(() => filling.delete(key));
      filling.set(key, pending);
    }
    return (await pending)?.page ?? null;
  };
}
