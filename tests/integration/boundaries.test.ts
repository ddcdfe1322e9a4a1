// The known exceptions to the module boundaries (.dependency-cruiser.cjs) may
// only shrink: once an import is gone, its exception must go too, or it would
// quietly allow the same breach again. The rules themselves run in
// `npm run lint:boundaries`.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(__dirname, "../..");
const config = createRequire(import.meta.url)(path.join(ROOT, ".dependency-cruiser.cjs")) as {
  KNOWN_EXCEPTIONS: [string, string][];
  MAY_USE: Record<string, string[]>;
};

/** The repository files a module imports (through `~/` or a relative path). */
function importedFiles(file: string): string[] {
  const source = readFileSync(path.join(ROOT, file), "utf8");
  const specifiers = [...source.matchAll(/(?:\bfrom|\bimport)\s*\(?\s*["']([^"']+)["']/g)].map(([, name = ""]) => name);
  return specifiers.flatMap((specifier) => {
    const base = specifier.startsWith("~/")
      ? path.posix.join("app", specifier.slice(2))
      : specifier.startsWith(".")
        ? path.posix.join(path.posix.dirname(file), specifier)
        : null;
    if (base === null) return [];
    const found = ["", ".ts", ".tsx", "/index.ts"]
      .map((ext) => base + ext)
      .find((candidate) => /\.tsx?$/.test(candidate) && existsSync(path.join(ROOT, candidate)));
    return found ? [found] : [];
  });
}

describe("module boundaries", () => {
  it("lists as known exceptions only imports that still exist", () => {
    const stale = config.KNOWN_EXCEPTIONS.filter(
      ([importer, imported]) => !existsSync(path.join(ROOT, importer)) || !importedFiles(importer).includes(imported),
    );
    expect(stale).toEqual([]);
  });

  it("reads a module's imports the way the exceptions name them", () => {
    expect(importedFiles("app/coverage/audit-trail.server.ts")).toContain("app/coverage/scope.server.ts");
    expect(importedFiles("app/teach/sync.server.ts")).toContain("app/teach/course-files.server.ts");
  });

  it("places every folder of app/ in a layer, so a new one cannot slip past the rules", () => {
    const layers = new Set([
      ...Object.keys(config.MAY_USE),
      "routes",
      "components",
      "utils",
      "db",
      "locales",
      "styles",
      "generated",
    ]);
    const folders = readdirSync(path.join(ROOT, "app"), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name);
    expect(folders.filter((folder) => !layers.has(folder))).toEqual([]);
  });
});
