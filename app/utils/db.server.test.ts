import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { db, retryWhenLocked } from "./db.server";
import { getEnv, sqliteFilePath } from "./env.server";

// A command-line tool beside the running server: another process commits in
// the middle of a read-then-write transaction. SQLite refuses the write at
// once; the transaction is rolled back and tried again.
describe.runIf(getEnv().databaseProvider === "sqlite")("SQLite transactions beside another writer", () => {
  it("are tried again after 'database is locked', and land once", async () => {
    const other = new Database(sqliteFilePath(getEnv().DATABASE_URL));
    let tries = 0;
    await retryWhenLocked(() =>
      db.$transaction(async (tx) => {
        tries++;
        await tx.user.count();
        if (tries === 1)
          other
            .prepare(
              `INSERT INTO "EmailOptOut" ("email", "createdAt") VALUES ('other@example.vn', '2026-01-01T00:00:00.000+00:00')`,
            )
            .run();
        await tx.emailOptOut.create({ data: { email: "tx@example.vn" } });
      }),
    );
    other.close();
    expect(tries).toBe(2);
    expect(await db.emailOptOut.count()).toBe(2);
  });

  it("passes other errors through at once", async () => {
    let tries = 0;
    await expect(retryWhenLocked(async () => (tries++, Promise.reject(new Error("no such table"))))).rejects.toThrow(
      "no such table",
    );
    expect(tries).toBe(1);
  });
});
