// Remix options. The Vite plugin does not read this file by itself:
// vite.config.ts imports it and passes it to vitePlugin().
/** @type {import("@remix-run/dev").VitePluginConfig} */
export default {
  appDirectory: "app",
  // Keeps build/.vite/client-manifest.json for bench/bundle-size.js.
  manifest: true,
  ignoredRouteFiles: ["**/*.test.{ts,tsx}", "**/.*"],
  future: {
    v3_fetcherPersist: true,
    v3_relativeSplatPath: true,
    v3_throwAbortReason: true,
    v3_lazyRouteDiscovery: true,
    v3_singleFetch: true,
  },
};
