import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { mkdir, readdir, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import type { BuildOptions } from "esbuild";

// Worker threads run a file of JavaScript, not a module of the Remix build.
// A worker is app/<dir>/<name>-worker.server.ts; `npm run build` compiles
// each into build/workers/<dir>/<name>-worker.mjs (scripts/build-workers.ts),
// and in development and tests (vite, vitest, tsx), where this file is still
// TypeScript, it is bundled with esbuild on first use into
// node_modules/.cache/workers, named by a hash of its code so processes
// running side by side never write over each other's copy.

/**
 * Bundled: the app's own modules inlined, packages loaded from node_modules.
 * The options are app/utils/node-bundle.json's, which scripts/cli.mjs bundles
 * the import commands with too. Read from the file, not imported: Node's own
 * loader (Playwright's specs, the command line) takes a JSON module only with
 * an import attribute.
 */
export function workerBuildOptions(entry: string): BuildOptions {
  const options = JSON.parse(readFileSync(path.resolve("app/utils/node-bundle.json"), "utf8")) as BuildOptions;
  return { ...options, entryPoints: [entry] };
}

/** Every worker under app/: paths like "coverage/table-file-worker". */
export async function workerNames(root = "app"): Promise<string[]> {
  const files = await readdir(root, { recursive: true });
  return files
    .filter((file) => file.endsWith("-worker.server.ts"))
    .map((file) =>
      file
        .split(path.sep)
        .join("/")
        .replace(/\.server\.ts$/, ""),
    )
    .sort();
}

export const builtWorkerPath = (outdir: string, name: string) => path.join(outdir, `${name}.mjs`);

// Running from the TypeScript sources (vite dev, vitest, tsx), or from a
// command bundled as it starts (scripts/cli.mjs defines the constant below),
// or from the production bundle, which server.js loads from build/server.
declare const __WORKERS_FROM_SOURCES__: boolean | undefined;
const fromSources =
  import.meta.url.endsWith(".ts") || (typeof __WORKERS_FROM_SOURCES__ !== "undefined" && __WORKERS_FROM_SOURCES__);

const compiled = new Map<string, Promise<string>>();

async function compile(name: string): Promise<string> {
  const { build } = await import("esbuild");
  const result = await build({ ...workerBuildOptions(path.resolve("app", `${name}.server.ts`)), write: false });
  const code = result.outputFiles![0]!.contents;
  const hash = createHash("sha256").update(code).digest("hex").slice(0, 16);
  const file = path.resolve("node_modules/.cache/workers", `${name.replace(/\//g, "-")}-${hash}.mjs`);
  if (!existsSync(file)) {
    await mkdir(path.dirname(file), { recursive: true });
    const partial = `${file}.${process.pid}.tmp`;
    await writeFile(partial, code);
    await rename(partial, file);
  }
  return file;
}

/** The JavaScript file to start a Worker on, for a worker named like "coverage/table-file-worker". */
export function workerScript(name: string): Promise<string> {
  if (!fromSources) {
    const script = builtWorkerPath(path.resolve("build/workers"), name);
    if (!existsSync(script))
      return Promise.reject(
        new Error(`${script} is missing: build with \`npm run build\`, which compiles the worker scripts`),
      );
    return Promise.resolve(script);
  }
  let script = compiled.get(name);
  if (!script) {
    script = compile(name);
    compiled.set(name, script);
    script.catch(() => compiled.delete(name));
  }
  return script;
}
