// Production server: Express around the Remix build. remix-serve would do,
// but the login rate limit needs the client address (req.ip), which only a
// server of our own can pass to loaders as load context.
import { randomBytes, randomUUID } from "node:crypto";
import { createServer } from "node:http";
import path from "node:path";
import { createRequestHandler } from "@remix-run/express";
import { createRequestHandler as createFetchHandler } from "@remix-run/node";
import compression from "compression";
import express from "express";
import expressStaticGzip from "express-static-gzip";
import { pinoHttp } from "pino-http";

// A bad environment variable stops the server here, with every bad field listed.
function exitOnBadEnv(error) {
  if (!String(error?.message).startsWith("Invalid environment variables")) throw error;
  console.error(error.message);
  process.exit(1);
}
const build = await import(path.resolve("build/server/index.js")).catch(exitOnBadEnv);
const { checkIssuerKeys, getEnv, logger, redactPath, startBackground, stopBackground } = build.entry.module;
let env;
try {
  env = getEnv();
  checkIssuerKeys();
} catch (error) {
  exitOnBadEnv(error);
}
const port = env.PORT;

const app = express();
app.disable("x-powered-by");
// req.ip, the address the login throttle counts, is the client's only when
// Express knows which proxies to believe: TRUST_PROXY, already parsed into
// the type Express expects (true/false, a hop count, or addresses).
app.set("trust proxy", env.TRUST_PROXY);

// The address the request was sent to, as the browser saw it: behind a
// trusted proxy its X-Forwarded-Proto/-Host, else this socket's own.
function requestOrigin(req) {
  const trusted = req.app.get("trust proxy fn")(req.socket.remoteAddress, 0);
  const forwarded = trusted ? req.get("X-Forwarded-Host")?.split(",")[0]?.trim() : undefined;
  return `${req.protocol}://${forwarded || req.get("Host")}`;
}

// Cross-site posts are refused before anything else reads them, resource
// routes and the progress fast path included (docs/decisions/070-cross-site-and-headers.md).
const { crossSiteRefusal } = build.entry.module;
async function refuseCrossSite(req, res, next) {
  try {
    const refusal = await crossSiteRefusal({
      method: req.method,
      url: req.originalUrl,
      header: (name) => req.get(name) ?? null,
      requestOrigin: requestOrigin(req),
    });
    if (!refusal) return next();
    res.status(refusal.status).type(refusal.contentType).send(refusal.body);
  } catch (error) {
    next(error);
  }
}

// A request id on every response: the proxy's X-Request-Id when it sends a
// sane one, else a new one.
const REQUEST_ID = /^[A-Za-z0-9._-]{8,128}$/;
function requestId(req, res) {
  const incoming = req.headers["x-request-id"];
  const id = typeof incoming === "string" && REQUEST_ID.test(incoming) ? incoming : randomUUID();
  res.setHeader("X-Request-Id", id);
  return id;
}

// One JSON line per request, with its request id echoed in the response. Only
// method, path without query or secret link segments, status and timing are
// logged: no cookies, no tokens.
app.use(
  pinoHttp({
    logger,
    genReqId: requestId,
    serializers: {
      req: (req) => ({ id: req.id, method: req.method, path: redactPath(req.url) }),
      res: (res) => ({ statusCode: res.statusCode }),
    },
    customLogLevel: (req, res, error) =>
      error || res.statusCode >= 500
        ? "error"
        : (req.url === "/healthz" || req.url.startsWith("/assets/")) && res.statusCode < 400
          ? "debug"
          : res.statusCode >= 400
            ? "warn"
            : "info",
  }),
);

// Security headers on every response, static files and refusals included;
// the nonce lets Remix's own inline scripts run and nothing else inline.
const { securityHeaders } = build.entry.module;
const muxStandIn = env.MUX_API_BASE_URL ? [new URL(env.MUX_API_BASE_URL).origin] : [];
app.use((req, res, next) => {
  res.locals.cspNonce = randomBytes(16).toString("base64");
  res.set(securityHeaders({ nonce: res.locals.cspNonce, secure: req.secure, extraOrigins: muxStandIn }));
  next();
});

app.use(refuseCrossSite);

// The catalog page: rendered once per language, name in the header and
// catalog version, without a nonce (its inline scripts go by hash), and
// answered here already compressed (docs/decisions/165-catalog-read-model.md).
const { bodyIn, catalogPages, chooseEncoding } = build.entry.module;
const renderPage = createFetchHandler(build, "production");
const catalog = catalogPages((request) => renderPage(request, { clientIp: null }));
app.get("/", async (req, res, next) => {
  try {
    const page = await catalog({
      url: req.originalUrl,
      cookie: req.get("Cookie") ?? null,
      origin: requestOrigin(req),
    });
    if (!page) return next();
    const encoding = chooseEncoding(req.get("Accept-Encoding"));
    res.set(securityHeaders({ scriptHashes: page.scriptHashes, secure: req.secure, extraOrigins: muxStandIn }));
    res.set({ "Content-Type": "text/html; charset=utf-8", Vary: "Accept-Encoding" });
    if (encoding !== "identity") res.set("Content-Encoding", encoding);
    res.end(bodyIn(page, encoding));
  } catch (error) {
    next(error);
  }
});

// An enrolled learner's lesson page: the session, the enrolment, the view and
// the quiz draw on every request as in the Remix loader; the page itself
// rendered once per content, language and name in the header and kept as
// gzip, the learner's part put into it per request
// (docs/decisions/175-lesson-page-kept-rendered.md). Anything else (a visitor,
// a preview, a 404, one not enrolled) goes on to Remix.
const { lessonPageBody, lessonPages } = build.entry.module;
const lessons = lessonPages((request, content) => renderPage(request, { clientIp: null, keptLesson: content }));
app.get("/courses/:courseCode/:lessonSlug", async (req, res, next) => {
  try {
    const answer = await lessons({
      url: req.originalUrl,
      cookie: req.get("Cookie") ?? null,
      origin: requestOrigin(req),
    });
    if (!answer) return next();
    const encoding = chooseEncoding(req.get("Accept-Encoding"), ["gzip"]);
    res.set(securityHeaders({ scriptHashes: answer.page.scriptHashes, secure: req.secure, extraOrigins: muxStandIn }));
    res.set({ "Content-Type": "text/html; charset=utf-8", Vary: "Accept-Encoding" });
    if (encoding !== "identity") res.set("Content-Encoding", encoding);
    res.end(lessonPageBody(answer.page, answer.learner, encoding));
  } catch (error) {
    next(error);
  }
});

// Media responses are byte ranges of video: compressing them breaks Range.
app.use(compression({ filter: (req, res) => !req.path.startsWith("/media/") && compression.filter(req, res) }));
// Scripts and stylesheets are compressed once at build time (scripts/precompress.ts):
// sent as .br or .gz as the browser accepts, never compressed again per request.
app.use(
  "/assets",
  expressStaticGzip("build/client/assets", {
    enableBrotli: true,
    orderPreference: ["br", "gzip"],
    serveStatic: { immutable: true, maxAge: "1y" },
  }),
);
// Page URLs name no file: only a path with an extension is looked for among
// the client's files (favicon.svg), so a page request costs no stat.
const clientFiles = express.static("build/client", { maxAge: "1h" });
app.use((req, res, next) => (path.extname(req.path) ? clientFiles(req, res, next) : next()));
app.all(
  "*",
  createRequestHandler({
    build,
    getLoadContext: (req, res) => ({ clientIp: req.ip ?? null, requestId: req.id, cspNonce: res.locals.cspNonce }),
  }),
);
// A malformed URL (`/%E0%A4%A`) fails in Express before Remix sees it, and a
// fault in a middleware never reaches it: a translated page (400, 500) and one
// log line instead of Express's English page and a stack trace.
app.use(build.entry.module.errorPageHandler);

// Players report progress every ten seconds: the hottest path. Those reports
// are answered on Node's own request and response, ahead of Express, with the
// same guards (request id, the API's headers, the cross-site check, the body
// cap) and the same handler as the Remix route: app/learning/progress-node.server.ts,
// docs/decisions/107-progress-on-node-http.md.
const { createProgressListener, isProgressReport } = build.entry.module;
const progressListener = createProgressListener({ trustProxy: app.get("trust proxy fn"), requestId });

await startBackground();
// Requests being answered and begun (app/utils/requests-in-flight.server.ts):
// an import gives way while there are any, and works longer stretches while
// none come. Counted here, ahead of every handler: the catalog, lesson pages
// and progress reports are answered before Express's later middleware.
// Media streams last as long as the video plays and cost little CPU: they do
// not count.
globalThis.__requestsInFlight = 0;
globalThis.__requestsStarted = 0;
function countRequest(req, res) {
  if (req.url?.startsWith("/media/")) return;
  globalThis.__requestsInFlight++;
  globalThis.__requestsStarted++;
  res.once("close", () => globalThis.__requestsInFlight--);
}
const server = createServer((req, res) => {
  countRequest(req, res);
  return isProgressReport(req) ? progressListener(req, res) : app(req, res);
});
server.listen(port, () => {
  logger.info({ port }, `Tập huấn is ready on http://localhost:${port}`);
});

// On SIGTERM/SIGINT: stop taking requests and jobs, let running jobs reach a
// safe point (an interrupted import is resumed by the next runner), then exit.
let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, async () => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down");
    server.close();
    await stopBackground().catch((error) => logger.error({ err: error }, "job runner did not stop cleanly"));
    process.exit(0);
  });
}
