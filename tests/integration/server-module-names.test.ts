// A module that uses Node's built-ins (node:fs, crypto, zlib, …) is named
// *.server.ts: Remix then refuses to put it in a browser bundle, and a reader
// knows at a glance which modules are safe to import from a component.
// Route modules are left out: Remix strips loaders and actions from the
// browser build itself, and a route's file name is its URL.
import { readdirSync, readFileSync } from "node:fs";
import { builtinModules } from "node:module";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(__dirname, "../..");
const BUILT_INS = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));

function sourceFiles(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const relative = path.posix.join(dir, entry.name);
    if (entry.isDirectory()) return ["app/generated", "app/routes"].includes(relative) ? [] : sourceFiles(relative);
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [relative] : [];
  });
}

/** The Node built-ins a module's source imports (statically, dynamically or by require). */
function builtInsImported(source: string): string[] {
  const specifiers = [...source.matchAll(/(?:\bfrom|\bimport|\brequire)\s*\(?\s*["']([^"']+)["']/g)].map(
    ([, name = ""]) => name,
  );
  return specifiers.filter((name) => name.startsWith("node:") || BUILT_INS.has(name));
}

describe("module names", () => {
  it("reads every kind of import of a built-in", () => {
    const source = [
      'import { createHash } from "node:crypto";',
      "import path from 'path';",
      'export { gzipSync } from "zlib";',
      'const fs = await import("node:fs/promises");',
      'const os = require("os");',
      'import { z } from "zod";',
      'import "./styles.css";',
    ].join("\n");
    expect(builtInsImported(source)).toEqual(["node:crypto", "path", "zlib", "node:fs/promises", "os"]);
  });

  it("names every module that imports a Node built-in *.server.ts", () => {
    const offenders = sourceFiles("app")
      .filter((file) => !/\.server\.tsx?$/.test(file))
      .flatMap((file) => {
        const used = builtInsImported(readFileSync(path.join(ROOT, file), "utf8"));
        return used.length > 0 ? [`${file} (${used.join(", ")})`] : [];
      });
    expect(offenders).toEqual([]);
  });
});
