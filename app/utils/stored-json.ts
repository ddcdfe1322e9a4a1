import type { z } from "zod";

// Some columns hold JSON as text (SQLite has no JSON type and both databases
// share one schema). Each such column has one parse function beside its zod
// schema, in the domain that owns it, built on these two. A value that fails
// them was written by a bug or by hand, never by a user: each column decides
// whether a safe default is honest (the page still works) or whether stopping
// with a clear error is (a default would hide or lose data).

/** A stored JSON column holds something its schema does not accept. */
export class StoredJsonError extends Error {
  constructor(
    readonly column: string,
    detail: string,
  ) {
    super(`${column}: the stored value is not readable (${detail})`);
    this.name = "StoredJsonError";
  }
}

/** The column's value, checked; throws a StoredJsonError when it is not JSON or not of the schema's shape. */
export function parseStoredJson<S extends z.ZodType>(column: string, schema: S, text: string): z.output<S> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new StoredJsonError(column, error instanceof Error ? error.message : "not JSON");
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success)
    throw new StoredJsonError(
      column,
      parsed.error.issues.map((i) => `${i.path.join(".") || "value"}: ${i.message}`).join("; "),
    );
  return parsed.data;
}

/** The column's value, checked, or `fallback` when it is not JSON or not of the schema's shape. */
export function parseStoredJsonOr<S extends z.ZodType, F>(
  column: string,
  schema: S,
  text: string,
  fallback: F,
): z.output<S> | F {
  try {
    return parseStoredJson(column, schema, text);
  } catch (error) {
    if (error instanceof StoredJsonError) return fallback;
    throw error;
  }
}
