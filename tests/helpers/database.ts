import { Prisma } from "~/generated/prisma-sqlite/client";
import { db } from "~/utils/db.server";

type Readable = { findMany: () => Promise<unknown[]> };

/**
 * Every row of every table, by model: for tests whose claim is "this changed
 * nothing at all", compared before and after.
 */
export async function readEveryRow(): Promise<Record<string, unknown[]>> {
  const tables = db as unknown as Record<string, Readable>;
  const rows: Record<string, unknown[]> = {};
  for (const model of Object.values(Prisma.ModelName)) {
    rows[model] = await tables[model.charAt(0).toLowerCase() + model.slice(1)]!.findMany();
  }
  return rows;
}
