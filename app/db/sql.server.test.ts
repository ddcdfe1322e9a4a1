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
