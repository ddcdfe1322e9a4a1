import pino from "pino";

// Structured JSON logs, one line per event. Secrets never reach them: cookie
// and authorization headers are redacted, and tokens in link paths are cut
// out by `redactPath` before a URL is logged.
export const LOG_REDACT = {
  paths: [
    "req.headers.cookie",
    "req.headers.authorization",
    'res.headers["set-cookie"]',
    "password",
    "*.password",
    "token",
    "*.token",
    "passwordHash",
    "*.passwordHash",
  ],
  censor: "[redacted]",
};

export const logger = pino({
  level: process.env.LOG_LEVEL ?? (process.env.NODE_ENV === "test" ? "silent" : "info"),
  base: { service: "tap-huan" },
  redact: LOG_REDACT,
});

// Paths that carry a secret as their last segment: invitation, password and
// unsubscribe links.
const SECRET_PATH = /^\/(invite|reset-password|set-password|verify-email|unsubscribe)\/[^/?#]+/;

/** A URL path with the secret segment replaced and the query string dropped. */
export function redactPath(url: string): string {
  const path = url.split("?")[0] ?? "";
  return path.replace(SECRET_PATH, "/$1/[redacted]");
}
