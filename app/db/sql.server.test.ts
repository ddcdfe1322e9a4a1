import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { getEnv, sqliteFilePath } from "~/utils/env.server";
import { closeSql, fragment, getSql } from "~/db/sql.server";

afterAll(closeSql);

describe.skipIf(!getEnv().DATABASE_URL.startsWith("file:"))(
  "the SQLite writer and another connection's write lock",
  () => {
    it("waits for the lock between turns of the event loop, so the holder can finish", async () => {
      const sql = getSql();
      await sql.all(fragment`SELECT 1`);
      // Another connection in this process (as Prisma's is) holds the write lock across an await.
      const other = new Database(sqliteFilePath(getEnv().DATABASE_URL));
      other.exec("BEGIN IMMEDIATE");
      let ticks = 0;
      const ticker = setInterval(() => ticks++, 5);
      setTimeout(() => other.exec("COMMIT"), 150);
      const began = performance.now();
      const result = await sql.transaction(async (tx) => tx.all(fragment<{ one: number }>`SELECT 1 AS "one"`));
      clearInterval(ticker);
      other.close();
      expect(result).toEqual([{ one: 1 }]);
      expect(performance.now() - began).toBeGreaterThanOrEqual(140);
      // The event loop ran while it waited (a busy wait inside SQLite would have stopped it).
      expect(ticks).toBeGreaterThan(5);
    });
  },
);

describe("reads beside an open transaction", () => {
  it("see only what is committed, before and after the commit, on either database", async () => {
    const sql = getSql();
    const version = async (on = sql) =>
      Number(
        (await on.first(fragment<{ version: number }>`SELECT "version" FROM "CoverageVersion" WHERE "id" = 1`))
          ?.version ?? -1,
      );
    const before = await version();
    let inside = -1;
    let outside = -1;
    let commit!: () => void;
    const held = new Promise<void>((resolve) => (commit = resolve));
    const write = sql.transaction(async (tx) => {
      await tx.run(fragment`UPDATE "CoverageVersion" SET "version" = "version" + 1 WHERE "id" = 1`);
      inside = await version(tx);
      await held; // the transaction stays open across this await
    });
    // On SQLite the writer's connection is inside that transaction now: this
    // read must not go through it (it would see the uncommitted change).
    await new Promise((resolve) => setTimeout(resolve, 20));
    outside = await version();
    commit();
    await write;
    expect(inside).toBe(before + 1);
    expect(outside).toBe(before);
    expect(await version()).toBe(before + 1);
  });
});
