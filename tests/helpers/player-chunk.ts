import { readFileSync } from "node:fs";

/**
 * Mux Player's own chunk in the production build, from its client manifest:
 * the build with hls.js ("mux") or without it ("local"; vite.config.ts).
 */
export function playerChunk(build: "local" | "mux"): string {
  const manifest = JSON.parse(readFileSync("build/.vite/client-manifest.json", "utf8")) as Record<
    string,
    { file: string }
  >;
  const module = `/@mux/mux-player-react/dist/index.mjs${build === "local" ? "?local-media" : ""}`;
  const key = Object.keys(manifest).find((k) => k.endsWith(module));
  if (!key) throw new Error(`the build's client manifest has no ${module}`);
  return `/${manifest[key]!.file}`;
}
