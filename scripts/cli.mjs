// Runs one of the import commands as a single bundled JavaScript file rather
// than through tsx, in this process:
//   node --heap-growing-percent=25 scripts/cli.mjs roster-import <file> [options]
// (`npm run roster:import` and `npm run training:import` do this). tsx's module
// loader runs in a thread of its own beside the command and keeps every
// transpiled module: about 50 MB of a 200,000-row import's 310 MB peak, which
// the 300 MB aim does not have (decision 160). The bundle is made from the
// sources each time (esbuild, about a second) and named by its content's hash
// under node_modules/.cache/cli, so it is never older than the code. It
// compiles the worker threads it starts from the sources too, as tsx would.
import { build, stop } from "esbuild";
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";

const COMMANDS = ["roster-import", "training-import"];

const name = process.argv[2];
if (!COMMANDS.includes(name)) {
  console.error(`usage: node scripts/cli.mjs <${COMMANDS.join("|")}> [arguments]`);
  process.exit(2);
}

const result = await build({
  // As the worker threads are bundled (app/utils/workers.server.ts): the app's code in, packages left to node_modules.
  ...JSON.parse(await readFile("app/utils/node-bundle.json", "utf8")),
  entryPoints: [path.resolve("scripts", `${name}.ts`)],
  write: false,
  // workerScript() compiles the worker threads from the sources, as under tsx, not from build/workers.
  define: { __WORKERS_FROM_SOURCES__: "true" },
});
await stop();
const code = result.outputFiles[0].contents;
const hash = createHash("sha256").update(code).digest("hex").slice(0, 16);
const file = path.resolve("node_modules/.cache/cli", `${name}-${hash}.mjs`);
if (!existsSync(file)) {
  await mkdir(path.dirname(file), { recursive: true });
  // Written whole, then renamed: two commands started at once never read half a file.
  const partial = `${file}.${process.pid}.tmp`;
  await writeFile(partial, code);
  await rename(partial, file);
}

// The command reads its own arguments from process.argv, after the script's path.
process.argv.splice(2, 1);
await import(pathToFileURL(file).href);
