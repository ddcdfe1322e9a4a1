// A test under app/ sits beside the module it tests and carries its name:
// report.server.test.ts tests report.server.ts. A second file about one side of
// the same module adds that side before ".test": probe.server.fuzz.test.ts,
// reminders.server.smtp.test.ts. Tests of behaviour that spans modules (routes,
// translations, content) live in tests/integration under a descriptive name.
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(__dirname, "../..");

function testFiles(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const relative = path.posix.join(dir, entry.name);
    if (entry.isDirectory()) return relative === "app/generated" ? [] : testFiles(relative);
    return /\.test\.tsx?$/.test(entry.name) ? [relative] : [];
  });
}

/** The module a test file names: itself without ".test", or without ".<side>.test". */
function modulesNamedBy(testFile: string): string[] {
  const stem = testFile.replace(/\.test\.tsx?$/, "");
  const candidates = [stem, stem.replace(/\.[a-z0-9-]+$/, "")];
  return [...new Set(candidates)].flatMap((name) => [`${name}.ts`, `${name}.tsx`]);
}

describe("test file names", () => {
  it("read a module off a test's name, with or without a side", () => {
    expect(modulesNamedBy("app/coverage/report.server.test.ts")).toContain("app/coverage/report.server.ts");
    expect(modulesNamedBy("app/media/probe.server.fuzz.test.ts")).toContain("app/media/probe.server.ts");
    expect(modulesNamedBy("app/coverage/coverage.test.ts")).not.toContain("app/coverage/report.server.ts");
  });

  it("name an existing module beside every test under app/", () => {
    const files = testFiles("app");
    expect(files.length).toBeGreaterThan(50);
    const orphans = files.filter((file) => !modulesNamedBy(file).some((module) => existsSync(path.join(ROOT, module))));
    expect(orphans).toEqual([]);
  });
});
