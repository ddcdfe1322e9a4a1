// Production server: Express around the Remix build. remix-serve would do,
// but the login rate limit needs the client address (req.ip), which only a
// server of our own can pass to loaders as load context.
import path from "node:path";
import { createRequestHandler } from "@remix-run/express";
import compression from "compression";
import express from "express";

const build = await import(path.resolve("build/server/index.js"));
const port = Number(process.env.PORT ?? 3000);

const app = express();
app.disable("x-powered-by");
// Behind a reverse proxy set TRUST_PROXY (e.g. "loopback" or a hop count).
if (process.env.TRUST_PROXY) app.set("trust proxy", process.env.TRUST_PROXY);
// Players report progress every ten seconds: the hottest path. It is served
// here, ahead of compression, static files and Remix, by the same
// handler the Remix route uses (docs/decisions/003-progress-hot-path.md).
const { handleProgressReport, MAX_PROGRESS_BODY_BYTES } = build.entry.module;
app.post("/api/progress", express.text({ type: () => true, limit: MAX_PROGRESS_BODY_BYTES }), async (req, res, next) => {
  try {
    const result = await handleProgressReport({
      cookie: req.headers.cookie ?? null,
      contentType: req.headers["content-type"] ?? null,
      body: typeof req.body === "string" ? req.body : "",
    });
    res.status(result.status).json(result.body);
  } catch (error) {
    next(error);
  }
});
app.use((error, req, res, next) => {
  if (error?.type === "entity.too.large") return res.status(413).json({ ok: false, error: "body too large" });
  next(error);
});

// Media responses are byte ranges of video: compressing them breaks Range.
app.use(compression({ filter: (req, res) => !req.path.startsWith("/media/") && compression.filter(req, res) }));
app.use("/assets", express.static("build/client/assets", { immutable: true, maxAge: "1y" }));
app.use(express.static("build/client", { maxAge: "1h" }));
app.all(
  "*",
  createRequestHandler({
    build,
    getLoadContext: (req) => ({ clientIp: req.ip ?? null }),
  }),
);

app.listen(port, () => {
  console.log(`Tập huấn is ready on http://localhost:${port}`);
});
