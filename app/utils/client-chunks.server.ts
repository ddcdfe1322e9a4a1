import { readFileSync } from "node:fs";
import path from "node:path";
import { isLanguage } from "~/i18n";

type ManifestChunk = { file: string; imports?: string[] };

/**
 * The client files of a module the browser imports only when it needs it
 * (a dynamic import), its own chunk first, then the chunks it imports, as
 * `/assets/…` URLs a page can `<link rel="modulepreload">`: the download then
 * starts with the page's other scripts instead of after hydration. Read once
 * from the build's client manifest (build/.vite/client-manifest.json): a
 * build never changes under a running server. Empty without a build (`npm run
 * dev`) or when the module is not in it.
 */
export function dynamicChunkUrls(moduleSuffix: string): string[] {
  let urls = chunkUrls.get(moduleSuffix);
  if (!urls) {
    urls = readChunkUrls(path.resolve("build/.vite/client-manifest.json"), moduleSuffix);
    chunkUrls.set(moduleSuffix, urls);
  }
  return urls;
}

// One entry per module asked about (a fixed few): bounded.
const chunkUrls = new Map<string, string[]>();

/** The URLs of a module's chunk and the chunks it imports, from a Vite client manifest; empty when unreadable or absent. */
export function readChunkUrls(manifestPath: string, moduleSuffix: string): string[] {
  let manifest: Record<string, ManifestChunk>;
  try {
    manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as Record<string, ManifestChunk>;
  } catch {
    return [];
  }
  // The key is the module's path from the project (or from where its node_modules really is).
  const key = Object.keys(manifest).find((k) => k.endsWith(moduleSuffix));
  if (!key) return [];
  const files: string[] = [];
  const visit = (name: string) => {
    const chunk = manifest[name];
    if (!chunk || files.includes(chunk.file)) return;
    files.push(chunk.file);
    for (const imported of chunk.imports ?? []) visit(imported);
  };
  visit(key);
  return files.map((file) => `/${file}`);
}

/** Mux Player's chunks, for the pages that play a video: with hls.js for Mux's streams, without it for local files (vite.config.ts). */
export function playerChunkUrls(): { local: string[]; mux: string[] } {
  return {
    local: dynamicChunkUrls("/@mux/mux-player-react/dist/index.mjs?local-media"),
    mux: dynamicChunkUrls("/@mux/mux-player-react/dist/index.mjs"),
  };
}

/** The chunk of one language's translations (app/locales/load.ts), for every page in that language. */
export function languageChunkUrls(language: string): string[] {
  return isLanguage(language) ? dynamicChunkUrls(`app/locales/${language}.ts`) : [];
}
