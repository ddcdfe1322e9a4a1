// Migration 0011 moves the reject list an import kept in one JSON column
// into pages of 500, and counts it, on both databases.
import { cp, mkdtemp, rename, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { migratePostgres, migrateSqlite, type Provider } from "~/utils/migrate.server";

const MIGRATION = "0011_import_reject_pages";
const legacy = JSON.stringify(
  Array.from({ length: 1_200 }, (_, i) => ({
    row: i + 2,
    field: "email",
    reason: i % 3 ? "email" : "required",
    value: `x${i}`,
  })),
);
const roots: string[] = [];
afterAll(() => Promise.all(roots.map((root) => rm(root, { recursive: true, force: true }))));

/** A copy of the migrations without 0011 (put back by the returned function). */
async function migrationsBefore(provider: Provider) {
  const root = await mkdtemp(path.join(tmpdir(), "migration-0011-"));
  roots.push(root);
  const dir = path.join(root, "prisma", "migrations", provider);
  await cp(path.resolve("prisma", "migrations", provider), dir, { recursive: true });
  await rename(path.join(dir, MIGRATION), path.join(root, MIGRATION));
  return { root, restore: () => rename(path.join(root, MIGRATION), path.join(dir, MIGRATION)) };
}

const expected = {
  counts: [
    { id: "legacy", rejectCount: 1_200, rejectProblems: { email: 800, required: 400 } },
    { id: "none", rejectCount: 0, rejectProblems: {} },
  ],
  pages: [
    [1, 500, 2],
    [2, 500, 502],
    [3, 200, 1_002],
  ],
};

type PageRow = { page: number; count: number; rejects: string };
const pageSummary = (rows: PageRow[]) =>
  rows.map((r) => [Number(r.page), Number(r.count), JSON.parse(r.rejects)[0].row]);

describe("migration 0011: legacy reject lists", () => {
  it("become pages of 500 on SQLite", async () => {
    const { root, restore } = await migrationsBefore("sqlite");
    const url = `file:${path.join(root, "legacy.db")}`;
    migrateSqlite(url, root);
    const before = new Database(path.join(root, "legacy.db"));
    before
      .prepare(
        `INSERT INTO "DataImport" ("id", "kind", "fileName", "rejects") VALUES ('legacy', 'ROSTER', 'a.csv', ?), ('none', 'ROSTER', 'b.csv', '[]')`,
      )
      .run(legacy);
    before.close();
    await restore();
    expect(migrateSqlite(url, root)).toEqual([MIGRATION]);
    const after = new Database(path.join(root, "legacy.db"));
    const imports = after
      .prepare(`SELECT "id", "rejectCount", "rejectProblems" FROM "DataImport" ORDER BY "id"`)
      .all() as { id: string; rejectCount: number; rejectProblems: string }[];
    expect(imports.map((r) => ({ ...r, rejectProblems: JSON.parse(r.rejectProblems) }))).toEqual(expected.counts);
    expect(
      pageSummary(
        after
          .prepare(
            `SELECT "page", "count", "rejects" FROM "ImportRejectPage" WHERE "importId" = 'legacy' ORDER BY "page"`,
          )
          .all() as PageRow[],
      ),
    ).toEqual(expected.pages);
    after.close();
  });

  it.skipIf(!process.env.TEST_DATABASE_URL)("become pages of 500 on PostgreSQL", async () => {
    const { root, restore } = await migrationsBefore("postgresql");
    const url = process.env.TEST_DATABASE_URL!;
    const schema = `legacy_rejects_${process.pid}`;
    await migratePostgres(url, schema, root);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query(`SET search_path = ${schema}`);
      await client.query(
        `INSERT INTO "DataImport" ("id", "kind", "fileName", "rejects") VALUES ('legacy', 'ROSTER', 'a.csv', $1), ('none', 'ROSTER', 'b.csv', '[]')`,
        [legacy],
      );
      await restore();
      expect(await migratePostgres(url, schema, root)).toEqual([MIGRATION]);
      const imports = (
        await client.query(`SELECT "id", "rejectCount", "rejectProblems" FROM "DataImport" ORDER BY "id"`)
      ).rows;
      expect(imports.map((r) => ({ ...r, rejectProblems: JSON.parse(r.rejectProblems) }))).toEqual(expected.counts);
      expect(
        pageSummary(
          (
            await client.query(
              `SELECT "page", "count", "rejects" FROM "ImportRejectPage" WHERE "importId" = 'legacy' ORDER BY "page"`,
            )
          ).rows,
        ),
      ).toEqual(expected.pages);
    } finally {
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await client.end();
    }
  });
});
