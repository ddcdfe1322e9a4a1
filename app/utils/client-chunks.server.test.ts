import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { readChunkUrls } from "./client-chunks.server";

describe("a dynamic import's chunks from the client manifest", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "chunks-"));
  const manifestPath = path.join(dir, "client-manifest.json");
  writeFileSync(
    manifestPath,
    JSON.stringify({
      "node_modules/@mux/mux-player-react/dist/index.mjs": {
        file: "assets/index-AAA.js",
        isDynamicEntry: true,
        imports: ["_context-BBB.js", "_shared-CCC.js"],
      },
      "node_modules/@mux/mux-player-react/dist/index.mjs?local-media": {
        file: "assets/index-EEE.js",
        isDynamicEntry: true,
        imports: ["_shared-CCC.js"],
      },
      "_context-BBB.js": { file: "assets/context-BBB.js", imports: ["_shared-CCC.js"] },
      "_shared-CCC.js": { file: "assets/shared-CCC.js" },
      "app/root.tsx": { file: "assets/root-DDD.js", imports: ["_shared-CCC.js"] },
    }),
  );

  it("lists the module's own chunk first, then each chunk it imports once", () => {
    expect(readChunkUrls(manifestPath, "/@mux/mux-player-react/dist/index.mjs")).toEqual([
      "/assets/index-AAA.js",
      "/assets/context-BBB.js",
      "/assets/shared-CCC.js",
    ]);
  });

  it("tells the player's build without hls.js from the one with it (vite.config.ts)", () => {
    expect(readChunkUrls(manifestPath, "/@mux/mux-player-react/dist/index.mjs?local-media")).toEqual([
      "/assets/index-EEE.js",
      "/assets/shared-CCC.js",
    ]);
  });

  it("gives nothing for a module the build does not hold, or without a build", () => {
    expect(readChunkUrls(manifestPath, "/no-such-module/index.mjs")).toEqual([]);
    expect(readChunkUrls(path.join(dir, "missing.json"), "/@mux/mux-player-react/dist/index.mjs")).toEqual([]);
  });
});
