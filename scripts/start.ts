// `npm start`: prepares the database (migrations, reference data, demo
// accounts, courses/), builds the app when the build is missing or older than
// the source, then serves it on PORT (default 3000).
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { issuerKeySet, keySource } from "~/certificates/issuer-keys.server";
import { didWebOf } from "~/certificates/keys.server";
import { prepareDatabase } from "~/setup/prepare.server";
import { getEnv } from "~/utils/env.server";

const env = getEnv(); // fails loudly, listing every bad variable

await prepareDatabase({
  coursesDir: path.resolve("courses"),
  demo: env.seedDemo,
  log: (line) => console.log(line),
});

// The certificates' signing keys, made on the first start: a damaged key file stops the start, not a verifier.
const source = keySource();
console.log(
  `Certificates are signed as ${didWebOf(env.publicUrl)}: ${issuerKeySet().keys.length} key(s) from ${source.kind === "env" ? "ISSUER_KEYS" : source.path}`,
);

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === "generated" || entry.name.startsWith(".")) continue;
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

const serverBuild = path.resolve("build/server/index.js");
const stale =
  !existsSync(serverBuild) ||
  !existsSync(path.resolve("build/workers")) ||
  statSync(serverBuild).mtimeMs < Math.max(newestMtime(path.resolve("app")), statSync("vite.config.ts").mtimeMs);
if (stale) {
  console.log("Building the app…");
  // The server bundle and the worker threads' scripts (scripts/build-workers.ts).
  const build = spawnSync("npm", ["run", "build"], { stdio: "inherit" });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

const server = spawn(process.execPath, ["server.js"], {
  stdio: "inherit",
  env: { ...process.env, NODE_ENV: "production", PORT: String(env.PORT) },
});
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => server.kill(signal));
server.on("exit", (code) => process.exit(code ?? 0));
