import type { Sql } from "./sql.server";

// @deprecated The SQL-text helpers of the modules not yet moved to the typed
// builder (docs/decisions/005-typed-sql.md). Their table and column names are
// not checked against prisma/schema.prisma; each module that moves drops its
// import of this file, and the file goes with the last one.

/** `column IN (?, ?, ?)` for a short list. */
export function inValues(column: string, values: readonly unknown[]): { text: string; params: unknown[] } {
  if (values.length === 0) return { text: "1=0", params: [] };
  return { text: `${column} IN (${values.map(() => "?").join(", ")})`, params: [...values] };
}

/** A long list parameter: `"id" IN (SELECT value FROM json_each(?))` / `= ANY(?::text[])`. */
export function inList(sql: Sql, column: string): string {
  return sql.dialect === "sqlite" ? `${column} IN (SELECT value FROM json_each(?))` : `${column} = ANY(?::text[])`;
}
export function listParam(sql: Sql, values: readonly string[]): unknown {
  return sql.dialect === "sqlite" ? JSON.stringify(values) : values;
}

/** A stored DateTime column as YYYY-MM-DD. */
export function isoDateOf(sql: Sql, column: string): string {
  return sql.dialect === "sqlite" ? `substr(${column}, 1, 10)` : `to_char(${column}, 'YYYY-MM-DD')`;
}

/** A stored DateTime column as an ISO 8601 instant that Date.parse reads the same anywhere. */
export function isoInstantOf(sql: Sql, column: string): string {
  return sql.dialect === "sqlite" ? column : `to_char(${column}, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
}
