import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { db } from "~/utils/db.server";
import { closeSql } from "~/db/sql.server";
import { rosterCsv } from "../../tests/helpers/coverage";
import { runImportCli } from "./cli.server";

// The CLI closes the database connections when it ends, as a process would.
vi.mock("./cli.server", async (importOriginal) => ({
  ...(await importOriginal<typeof import("./cli.server")>()),
  closeCli: async () => {},
}));

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "cli-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  await closeSql();
});
afterEach(() => vi.restoreAllMocks());

async function run(args: string[]) {
  const lines: string[] = [];
  vi.spyOn(console, "error").mockImplementation((...parts: unknown[]) => void lines.push(parts.join(" ")));
  vi.spyOn(console, "log").mockImplementation((...parts: unknown[]) => void lines.push(parts.join(" ")));
  const code = await runImportCli("ROSTER", args);
  return { code, out: lines.join("\n") };
}

describe("npm run roster:import with a path that is no file", () => {
  it("says the file is not there, in the language asked for, and touches nothing", async () => {
    const jobs = await db.job.count();
    const missing = path.join(dir, "roster 2026.csv");
    expect(await run([missing, "--lang", "en"])).toEqual({ code: 1, out: `File not found: ${missing}.` });
    expect(await run([missing])).toEqual({ code: 1, out: `Không tìm thấy tệp ${missing}.` });
    expect(await db.job.count()).toBe(jobs);
  });

  it("says a folder is not a file", async () => {
    expect(await run([dir, "--lang", "en"])).toEqual({ code: 1, out: `${dir} is not a file.` });
  });
});

describe("npm run roster:import's progress", () => {
  it("reads, counts the rows checked so far, then writes, each line once, never 0 of 0", async () => {
    const file = path.join(dir, "progress.csv");
    await writeFile(file, rosterCsv("CLIP", 12_000));
    const progress: string[] = [];
    vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
      progress.push(String(chunk).trim());
      return true;
    });
    const { code, out } = await run([file, "--lang", "en"]);
    expect(code).toBe(0);
    expect(out).toContain("12000 rows: 12000 new");
    expect(progress[0]).toBe("Reading the file…");
    // Each line once, though the import reports "reading" twice.
    expect(new Set(progress).size).toBe(progress.length);
    expect(progress).toContain("5000 rows read and checked so far…");
    expect(progress.at(-1)).toBe("Writing: 12000 of 12000 rows");
    expect(progress.filter((line) => / 0 of 0 /.test(line))).toEqual([]);
  });
});
