// The headers every response of the production server carries, written by
// hand in one place (helmet is not a dependency; these are all we need).
// See docs/decisions/070-cross-site-and-headers.md for each source's reason.

export type SecurityHeadersInput = (
  | {
      /** Fresh per request; Remix's own inline scripts carry it. */
      nonce: string;
    }
  | {
      /**
       * A stored page's inline scripts, as `'sha256-…'` sources: a page
       * rendered once for many requests cannot carry a per-request nonce
       * (docs/decisions/165-catalog-read-model.md).
       */
      scriptHashes: readonly string[];
    }
) & {
  /** The request came over HTTPS (req.secure, proxy-aware). */
  secure: boolean;
  /** Origins the browser also uploads to or plays from (a Mux stand-in in tests). */
  extraOrigins?: readonly string[];
};

// Mux Player: HLS manifests and segments (stream.mux.com and *.mux.com
// CDNs), posters and storyboards (image.mux.com). Direct uploads go to the
// Google Cloud Storage URL Mux hands out.
const MUX = "https://*.mux.com";
const MUX_UPLOADS = "https://storage.googleapis.com";

export function contentSecurityPolicy(input: SecurityHeadersInput): string {
  const extra = (input.extraOrigins ?? []).join(" ");
  const inline = "nonce" in input ? `'nonce-${input.nonce}'` : input.scriptHashes.join(" ");
  const directives: Record<string, string> = {
    "default-src": "'self'",
    "script-src": `'self' ${inline}`,
    // Mux Player's web components and React's style={} attributes write
    // inline styles; styles cannot run code, scripts stay nonce- (or hash-) only.
    "style-src": "'self' 'unsafe-inline'",
    "img-src": `'self' data: blob: ${MUX}`,
    "media-src": `'self' blob: ${MUX} ${extra}`,
    "connect-src": `'self' ${MUX} ${MUX_UPLOADS} ${extra}`,
    // pdf.js's worker is a same-origin file; hls.js starts its worker from a blob.
    "worker-src": "'self' blob:",
    // pdf.js hands embedded PDF fonts to the browser as data.
    "font-src": "'self' data:",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
  };
  return Object.entries(directives)
    .map(([name, value]) => `${name} ${value}`.trim())
    .join("; ");
}

export function securityHeaders(input: SecurityHeadersInput): Record<string, string> {
  return {
    "Content-Security-Policy": contentSecurityPolicy(input),
    "X-Content-Type-Options": "nosniff",
    // A route that wants less (no-referrer on secret-link pages) appends its
    // own value; browsers take the last policy they know, so it wins.
    "Referrer-Policy": "strict-origin-when-cross-origin",
    // Over plain HTTP the header is ignored and would only mislead.
    ...(input.secure ? { "Strict-Transport-Security": "max-age=31536000" } : {}),
  };
}

/**
 * The JSON API's headers (the progress endpoint's fast path): nothing in a
 * JSON answer may run, load or be framed, so no nonce is needed and the set is
 * built once at start.
 */
export function apiSecurityHeaders({ secure }: Pick<SecurityHeadersInput, "secure">): Record<string, string> {
  return {
    "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Cache-Control": "no-store",
    ...(secure ? { "Strict-Transport-Security": "max-age=31536000" } : {}),
  };
}
