import { vitePlugin as remix } from "@remix-run/dev";
import path from "node:path";
import { defineConfig, type Plugin } from "vite";
import tsconfigPaths from "vite-tsconfig-paths";
import remixConfig from "./remix.config.js";

declare module "@remix-run/node" {
  interface Future {
    v3_singleFetch: true;
  }
}

// `npm run dev` has no server.js: the same cross-site guard runs here, ahead
// of Remix, so a resource route behaves in development as in production.
const crossSiteGuard: Plugin = {
  name: "tap-huan-cross-site-guard",
  apply: "serve",
  configureServer(server) {
    server.middlewares.use(async (req, res, next) => {
      if (req.method === "GET" || req.method === "HEAD") return next();
      try {
        const { crossSiteRefusal } = (await server.ssrLoadModule(
          "/app/utils/cross-site.server.ts",
        )) as typeof import("./app/utils/cross-site.server");
        const header = (name: string) => {
          const value = req.headers[name];
          return Array.isArray(value) ? (value[0] ?? null) : (value ?? null);
        };
        const refusal = await crossSiteRefusal({
          method: req.method ?? "GET",
          url: req.url ?? "/",
          header,
          requestOrigin: `${server.config.server.https ? "https" : "http"}://${header("host") ?? "localhost"}`,
        });
        if (!refusal) return next();
        res.statusCode = refusal.status;
        res.setHeader("Content-Type", refusal.contentType);
        res.end(refusal.body);
      } catch (error) {
        next(error);
      }
    });
  },
};

// Mux Player without hls.js, for locally stored videos (docs/decisions/170-player-bytes.md):
// `@mux/mux-player-react?local-media` is a second copy of the player's own modules (its
// React wrapper, the elements, playback-core) in which hls.js is hls-off.ts. Their other
// imports (React, media-chrome) stay shared. Built only: `npm run dev` and the server
// build resolve the marked module to the usual one.
const LOCAL_MEDIA = "?local-media";
const COPIED = /\/node_modules\/@mux\/(mux-player-react|mux-player|mux-video|playback-core)\//;
const HLS_OFF = path.resolve("app/components/player/hls-off.ts");
function localMediaPlayer(): Plugin {
  let building = false;
  return {
    name: "tap-huan-local-media-player",
    enforce: "pre",
    configResolved(config) {
      building = config.command === "build";
    },
    async resolveId(source, importer, options) {
      const marked = source.endsWith(LOCAL_MEDIA);
      const inCopy = importer?.endsWith(LOCAL_MEDIA) ?? false;
      if (!marked && !inCopy) return null;
      const bare = marked ? source.slice(0, -LOCAL_MEDIA.length) : source;
      const from = inCopy ? importer!.slice(0, -LOCAL_MEDIA.length) : importer;
      const copy = building && !options.ssr;
      // hls.js, or its light build once the alias below has applied.
      if (copy && inCopy && /^hls\.js(\/light)?$/.test(bare)) return HLS_OFF;
      const resolved = await this.resolve(bare, from, { ...options, skipSelf: true });
      if (!resolved || !copy || !COPIED.test(resolved.id)) return resolved;
      return { ...resolved, id: resolved.id + LOCAL_MEDIA };
    },
  };
}

export default defineConfig({
  server: { port: Number(process.env.PORT ?? 3000) },
  // Mux Player's bytes on a slow link (docs/decisions/170-player-bytes.md): hls.js's
  // light build (no HLS subtitle renditions, alternate audio, DRM or CMCD, none of
  // which this platform uses) and no Mux Data, which the player never turns on.
  resolve: {
    alias: [
      { find: /^hls\.js$/, replacement: "hls.js/light" },
      { find: /^mux-embed$/, replacement: path.resolve("app/components/player/mux-data-off.ts") },
    ],
  },
  build: { target: "es2022", manifest: true },
  optimizeDeps: { exclude: ["@node-rs/argon2"] },
  ssr: { external: ["@node-rs/argon2", "better-sqlite3"] },
  plugins: [localMediaPlayer(), crossSiteGuard, remix(remixConfig), tsconfigPaths()],
});
