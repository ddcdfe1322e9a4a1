import { lastRunnerHeartbeat } from "~/jobs/runner.server";
import { fragment, getSql } from "~/db/sql.server";
import { checkMediaStorage } from "~/media/storage.server";
import { getEnv } from "~/utils/env.server";
import { readMigrations } from "~/utils/migrate.server";

// GET /healthz for load balancers: 200 when the database answers, every
// migration in prisma/migrations is applied, and a job runner beat recently;
// 503 with the failing check otherwise. Small, and with nothing secret in it.
// The media folder is reported ("read-only", "full") but does not fail the
// check: every instance shares it, and taking them out of the load balancer
// would stop learners watching the videos that are already stored.

export const RUNNER_STALE_MS = 60_000;

export type Health = {
  ok: boolean;
  database: "ok" | "unreachable";
  migrations: "current" | "pending" | "unknown";
  jobRunner: "ok" | "stale" | "none";
  jobRunnerHeartbeat: string | null;
  media: "ok" | "read-only" | "full";
};

export async function checkHealth(now = new Date()): Promise<Health> {
  const health: Health = {
    ok: false,
    database: "unreachable",
    migrations: "unknown",
    jobRunner: "none",
    jobRunnerHeartbeat: null,
    media: "ok",
  };
  const media = await checkMediaStorage();
  health.media = media === "readOnly" ? "read-only" : media;
  let applied: { name: string }[];
  try {
    // _migrations is the migration runner's own table (app/utils/migrate.server.ts), outside the Prisma schema.
    applied = await getSql().all(fragment<{ name: string }>`SELECT "name" FROM "_migrations"`);
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
