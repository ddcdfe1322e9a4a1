import { lastRunnerHeartbeat } from "~/jobs/runner.server";
import { db } from "~/utils/db.server";
import { getEnv } from "~/utils/env.server";
import { readMigrations } from "~/utils/migrate.server";

// GET /healthz for load balancers: 200 when the database answers, every
// migration in prisma/migrations is applied, and a job runner beat recently;
// 503 with the failing check otherwise. Small, and with nothing secret in it.

export const RUNNER_STALE_MS = 60_000;

export type Health = {
  ok: boolean;
  database: "ok" | "unreachable";
  migrations: "current" | "pending" | "unknown";
  jobRunner: "ok" | "stale" | "none";
  jobRunnerHeartbeat: string | null;
};

export async function checkHealth(now = new Date()): Promise<Health> {
  const health: Health = { ok: false, database: "unreachable", migrations: "unknown", jobRunner: "none", jobRunnerHeartbeat: null };
  let applied: { name: string }[];
  try {
    applied = await db.$queryRawUnsafe<{ name: string }[]>(`SELECT "name" FROM "_migrations"`);
    health.database = "ok";
  } catch {
    return health;
  }
  const names = new Set(applied.map((row) => row.name));
  const expected = readMigrations(getEnv().databaseProvider);
  health.migrations = expected.every((m) => names.has(m.name)) ? "current" : "pending";
  const beat = await lastRunnerHeartbeat().catch(() => null);
  health.jobRunnerHeartbeat = beat?.toISOString() ?? null;
  health.jobRunner = !beat ? "none" : now.getTime() - beat.getTime() <= RUNNER_STALE_MS ? "ok" : "stale";
  health.ok = health.database === "ok" && health.migrations === "current" && health.jobRunner === "ok";
  return health;
}
