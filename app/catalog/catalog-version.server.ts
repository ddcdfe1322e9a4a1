import { getSql, statement, type Sql } from "~/db/sql.server";

// One number for everything the public catalog shows: conventions, their lead
// bodies and those bodies' agencies, courses and lessons. Database triggers
// (migration 0014_catalog_version) raise it in the transaction of every write
// to those tables, whichever code, script or app instance writes, so a catalog
// kept under a version is never served once what it shows has changed
// (docs/decisions/165-catalog-read-model.md).

const readVersion = statement((sql: Sql) => sql.db.selectFrom("CatalogVersion").select("version").where("id", "=", 1));

/** The version now: one read by primary key. */
export async function catalogVersion(sql: Sql = getSql()): Promise<number> {
  const row = await sql.first(readVersion(sql));
  return Number(row?.version ?? 0);
}
