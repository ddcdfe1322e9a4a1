import type { IncomingMessage, ServerResponse } from "node:http";
import { crossSiteRefusal } from "~/utils/cross-site.server";
import { logger } from "~/utils/logger.server";
import { apiSecurityHeaders } from "~/utils/security-headers";
import { handleProgressReport, MAX_PROGRESS_BODY_BYTES } from "./progress-http.server";

// The progress endpoint on Node's own request and response, ahead of Express:
// players report every ten seconds, and Express's router, body parser and
// response helpers were a seventh of a report's CPU
// (docs/decisions/107-progress-on-node-http.md). It keeps every guard the
// Express route had, in the same order: a request id, the API's fixed security
// headers, the cross-site check before the body is read, the body cap, then the
// handler the Remix route (app/routes/api.progress.ts) calls too.

export type ProgressListenerOptions = {
  /** Express's compiled `trust proxy` (`app.get("trust proxy fn")`): is the hop at `index` a proxy we believe? */
  trustProxy: (address: string | undefined, index: number) => boolean;
  /** The response's request id (the proxy's X-Request-Id when sane, else a new one); sets the header. */
  requestId: (req: IncomingMessage, res: ServerResponse) => string;
};

/** True for the requests the listener answers: the exact path, any query. Other spellings go on to Remix's route. */
export function isProgressReport(req: IncomingMessage): boolean {
  if (req.method !== "POST" || !req.url?.startsWith("/api/progress")) return false;
  return req.url.length === 13 || req.url[13] === "?";
}

const API_HEADERS = {
  plain: apiSecurityHeaders({ secure: false }),
  secure: apiSecurityHeaders({ secure: true }),
};
const JSON_TYPE = "application/json; charset=utf-8";

function header(req: IncomingMessage, name: string): string | null {
  const value = req.headers[name.toLowerCase()];
  return typeof value === "string" ? value : Array.isArray(value) ? value.join(", ") : null;
}

/** http or https as the browser used it: behind a trusted proxy its X-Forwarded-Proto (Express's `req.protocol`). */
function protocolOf(req: IncomingMessage, trustProxy: ProgressListenerOptions["trustProxy"]): string {
  const own = "encrypted" in req.socket && req.socket.encrypted ? "https" : "http";
  if (!trustProxy(req.socket.remoteAddress, 0)) return own;
  return (header(req, "x-forwarded-proto") ?? own).split(",")[0]!.trim();
}

function originOf(req: IncomingMessage, protocol: string, trustProxy: ProgressListenerOptions["trustProxy"]) {
  const forwarded = trustProxy(req.socket.remoteAddress, 0)
    ? header(req, "x-forwarded-host")?.split(",")[0]?.trim()
    : undefined;
  return `${protocol}://${forwarded || header(req, "host")}`;
}

/** The charset a Content-Type names, lower-cased; null when it names none. */
function charsetOf(contentType: string | null): string | null {
  const match = /;\s*charset\s*=\s*"?([^";\s]*)"?/i.exec(contentType ?? "");
  return match ? match[1]!.toLowerCase() : null;
}

type Body = { text: string } | { status: 400 | 413; error: string };

/** The request's body as UTF-8, at most `limit` bytes; past it the rest is drained and a 413 given. */
function readBody(req: IncomingMessage, limit: number): Promise<Body> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on("data", (chunk: Buffer) => {
      if (over) return;
      size += chunk.length;
      if (size > limit) {
        over = true;
        chunks.length = 0;
        resolve({ status: 413, error: "body too large" });
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => {
      if (!over) resolve({ text: Buffer.concat(chunks, size).toString("utf8") });
    });
    // A body cut off (the client went away, or an error) is no report; a
    // promise already settled ignores these.
    req.on("error", () => resolve({ status: 400, error: "bad request" }));
    req.on("close", () => resolve({ status: 400, error: "bad request" }));
  });
}

export function createProgressListener({ trustProxy, requestId }: ProgressListenerOptions) {
  return async function progressListener(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = performance.now();
    const id = requestId(req, res);
    const protocol = protocolOf(req, trustProxy);
    const headers = protocol === "https" ? API_HEADERS.secure : API_HEADERS.plain;
    const answer = (status: number, body: unknown, contentType = JSON_TYPE) => {
      const text = typeof body === "string" ? body : JSON.stringify(body);
      res.writeHead(status, { ...headers, "Content-Type": contentType, "Content-Length": Buffer.byteLength(text) });
      res.end(text);
    };
    try {
      const refusal = await crossSiteRefusal({
        method: "POST",
        url: req.url!,
        header: (name) => header(req, name),
        requestOrigin: originOf(req, protocol, trustProxy),
      });
      if (refusal) {
        req.resume();
        return answer(refusal.status, refusal.body, refusal.contentType);
      }
      // What Express's body reader refused: a declared length over the cap (before
      // reading), a compressed body, a charset other than UTF-8.
      const declared = Number(header(req, "content-length") ?? 0);
      const encoding = header(req, "content-encoding")?.trim().toLowerCase();
      const charset = charsetOf(header(req, "content-type"));
      const refused: [number, string] | null =
        declared > MAX_PROGRESS_BODY_BYTES
          ? [413, "body too large"]
          : encoding && encoding !== "identity"
            ? [415, "unsupported content encoding"]
            : charset !== null && charset !== "utf-8" && charset !== "utf8"
              ? [415, "unsupported charset"]
              : null;
      if (refused) {
        req.resume();
        return answer(refused[0], { ok: false, error: refused[1] });
      }
      const body = await readBody(req, MAX_PROGRESS_BODY_BYTES);
      if (!("text" in body)) {
        req.resume();
        return answer(body.status, { ok: false, error: body.error });
      }
      const result = await handleProgressReport({
        cookie: header(req, "cookie"),
        contentType: header(req, "content-type"),
        body: body.text,
      });
      answer(result.status, result.body);
    } catch (error) {
      logger.error({ err: error, req: { id, method: "POST", path: "/api/progress" } }, "progress report failed");
      if (!res.headersSent) answer(500, { ok: false, error: "internal error" });
      else res.destroy();
    } finally {
      // Routine reports are logged only at debug level; refusals as warnings.
      if (res.statusCode >= 400 || logger.isLevelEnabled("debug")) {
        const line = {
          req: { id, method: "POST", path: "/api/progress" },
          res: { statusCode: res.statusCode },
          responseTime: Math.round(performance.now() - started),
        };
        if (res.statusCode >= 500) logger.error(line, "request completed");
        else if (res.statusCode >= 400) logger.warn(line, "request completed");
        else logger.debug(line, "request completed");
      }
    }
  };
}
