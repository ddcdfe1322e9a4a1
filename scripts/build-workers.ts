// Compiles every app/**/*-worker.server.ts into build/workers (or the folder
// given), for `npm run build`: in production a worker thread runs these files,
// not the TypeScript. See app/utils/workers.server.ts.
import { build } from "esbuild";
import path from "node:path";
import { builtWorkerPath, workerBuildOptions, workerNames } from "../app/utils/workers.server";

const outdir = path.resolve(process.argv[2] ?? "build/workers");
for (const name of await workerNames()) {
  await build({
    ...workerBuildOptions(path.resolve("app", `${name}.server.ts`)),
    outfile: builtWorkerPath(outdir, name),
  });
  console.log(`worker ${name} → ${path.relative(process.cwd(), builtWorkerPath(outdir, name))}`);
}
