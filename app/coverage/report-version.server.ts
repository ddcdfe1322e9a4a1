import { compileFor, getSql, statement, type Dialect, type Sql } from "~/db/sql.server";

// One number for everything the coverage reports read: the summary table,
// groups and their rules. It rises in the same transaction as every write
// that changes them, as that transaction's last statement, so a report cached
// under a version (report-cache.server.ts) is never served once the figures
// behind it have changed, whichever app instance changed them
// (docs/decisions/141-report-cache.md).

const readVersion = statement((sql: Sql) => sql.db.selectFrom("CoverageVersion").select("version").where("id", "=", 1));

/** The version now: one read by primary key. */
export async function coverageVersion(sql: Sql = getSql()): Promise<number> {
  const row = await sql.first(readVersion(sql));
  return Number(row?.version ?? 0);
}

const raise = (db: Parameters<Parameters<typeof compileFor>[1]>[0]) =>
  db
    .updateTable("CoverageVersion")
    .set((eb) => ({ version: eb("version", "+", 1) }))
    .where("id", "=", 1);

/** This transaction changes what coverage reports show: the version rises just before it commits. */
export function coverageChanged(tx: Sql): void {
  tx.beforeCommit("coverage-version", async (t) => {
    await t.run(raise(t.db));
  });
}

type PrismaTx = { $executeRawUnsafe(query: string, ...values: unknown[]): Promise<number> };

/** coverageChanged for a Prisma transaction: call it after the transaction's writes. */
export async function coverageChangedIn(tx: PrismaTx, dialect: Dialect = getSql().dialect): Promise<void> {
  const { text, values } = compileFor(dialect, raise);
  await tx.$executeRawUnsafe(text, ...values);
}
