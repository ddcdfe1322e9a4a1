// Background work of a server process: the job runner with every job kind's
// handler. Each domain registers its handler beside its code; importing the
// modules here is what makes them known.
import "~/email/outbox.server";
import { failOrphanImports } from "~/coverage/import-jobs.server";
import "~/coverage/reminders.server";
import "~/certificates/export.server";
import { closeReportReaders } from "~/db/sql.server";
import { startJobRunner, stopJobRunner } from "~/jobs/runner.server";
import { startMediaGcSchedule, stopMediaGcSchedule } from "~/media/gc.server";
import { getEnv } from "~/utils/env.server";
import { logger } from "~/utils/logger.server";

export async function startBackground() {
  if (!getEnv().runJobs) {
    logger.info("job runner off (JOB_RUNNER=false)");
    return;
  }
  const orphans = await failOrphanImports();
  if (orphans > 0) logger.warn({ imports: orphans }, "imports left running by an earlier version were marked failed");
  const runner = await startJobRunner();
  logger.info({ runner: runner.id }, "job runner started");
  // Hourly, once across all processes (the job id names the hour).
  startMediaGcSchedule();
}

export async function stopBackground() {
  stopMediaGcSchedule();
  await stopJobRunner();
  await closeReportReaders();
}
