// The SQLite read pool with the worker script of the production build, which
// `npm run build` compiles (scripts/build-workers.ts): built and run here.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { getEnv, sqliteFilePath } from "~/utils/env.server";
import { builtWorkerPath } from "~/utils/workers.server";
import { SqliteReadPool } from "./read-pool.server";

const url = getEnv().DATABASE_URL;

describe.runIf(url.startsWith("file:"))("the production build's read worker", () => {
  // Inside the project, as build/workers is: the script finds its packages in node_modules.
  mkdirSync("build", { recursive: true });
  const scratch = mkdtempSync(path.resolve("build", "test-read-workers-"));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it("is compiled by scripts/build-workers.ts and answers queries", { timeout: 60_000 }, async () => {
    execFileSync(process.execPath, ["--import", "tsx", "scripts/build-workers.ts", scratch], { stdio: "pipe" });
    const script = builtWorkerPath(scratch, "db/sqlite-read-worker");
    const pool = new SqliteReadPool(sqliteFilePath(url), 2, () => Promise.resolve(script));
    try {
      const answers = await Promise.all(
        [1, 2, 3].map((n) => pool.all("SELECT ? AS n, name FROM _migrations ORDER BY name LIMIT 1", [n])),
      );
      expect(answers.map((rows) => (rows[0] as { n: number }).n)).toEqual([1, 2, 3]);
      expect(pool.workers).toHaveLength(2);
      // Each reader runs at a lower priority than the web thread (Linux: per thread, in /proc).
      const niceOf = (tid: string | number) => {
        const stat = readFileSync(`/proc/self/task/${tid}/stat`, "utf8");
        return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[16]); // field 19
      };
      expect(readdirSync("/proc/self/task").filter((tid) => niceOf(tid) === 10)).toHaveLength(2);
      expect(niceOf(process.pid)).toBe(0); // the main thread's own
      // Read-only: a write is refused by the worker's own connection.
      await expect(pool.all(`DELETE FROM "_migrations" RETURNING "name"`, [])).rejects.toThrow(/readonly/i);
    } finally {
      await pool.close();
    }
  });
});
