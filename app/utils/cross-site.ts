// The one rule that says whether a state-changing request may come from
// where it comes from (docs/decisions/070-cross-site-and-headers.md).
// Pure: the production server (server.js), the dev server (vite.config.ts)
// and the route tests all ask it through app/utils/cross-site.server.ts.

export type CrossSiteQuestion = {
  method: string;
  /** The path, without the query. */
  path: string;
  /** The Sec-Fetch-Site header, or null. */
  fetchSite: string | null;
  /** The Origin header, or null. */
  origin: string | null;
  /** The origins this server answers as: PUBLIC_URL's and the request's own. */
  ownOrigins: readonly string[];
};

export type CrossSiteVerdict = { allowed: true } | { allowed: false; reason: string };

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS", "TRACE"]);

// Authenticated by its signature, and posted by Mux's servers, not a browser.
const EXEMPT_PATHS = new Set(["/api/mux/webhook"]);

/** The origin (scheme://host[:port]) of a URL, or null when it is not one. */
export function originOf(url: string): string | null {
  try {
    const parsed = new URL(url);
    return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.origin : null;
  } catch {
    return null;
  }
}

export function crossSiteVerdict(q: CrossSiteQuestion): CrossSiteVerdict {
  if (SAFE_METHODS.has(q.method.toUpperCase())) return { allowed: true };
  if (EXEMPT_PATHS.has(q.path)) return { allowed: true };
  const fetchSite = q.fetchSite?.toLowerCase() ?? null;
  if (fetchSite === "cross-site") return { allowed: false, reason: "Sec-Fetch-Site: cross-site" };
  if (q.origin !== null) {
    // "null" is what a sandboxed frame or a redirect chain sends: no origin of ours.
    const origin = originOf(q.origin);
    if (origin === null || !q.ownOrigins.includes(origin)) return { allowed: false, reason: "Origin does not match" };
    return { allowed: true };
  }
  // A sibling subdomain is another site's code: without an Origin to compare, refuse.
  if (fetchSite === "same-site") return { allowed: false, reason: "Sec-Fetch-Site: same-site without Origin" };
  // same-origin, none (typed address, bookmark) or no header at all (curl,
  // scripts): no browser sends a cross-site request without one of the two.
  return { allowed: true };
}
