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
