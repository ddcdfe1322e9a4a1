import { closeSql } from "~/db/sql.server";
import { CourseFilesError } from "~/teach/course-files.server";
import { syncCourses } from "~/teach/sync.server";
import { db } from "~/utils/db.server";
import { getEnv } from "~/utils/env.server";
import { migrate } from "~/utils/migrate.server";
import { seedDemoCoverage } from "./demo-coverage.server";
import { seedDemoUsers, seedReferenceData } from "./seed.server";

export async function prepareDatabase(options: { coursesDir: string; demo: boolean; log: (line: string) => void }) {
  const { log } = options;
  const env = getEnv();
  log(`[1/4] Migrating ${env.databaseProvider} database…`);
  const applied = await migrate(env.DATABASE_URL);
  log(applied.length ? `      applied ${applied.join(", ")}` : "      up to date");
  log("[2/4] Reference data (provinces, agencies, conventions, target groups)…");
  await seedReferenceData();
  if (options.demo) {
    log("[3/4] Demo accounts…");
    await seedDemoUsers();
    await seedDemoCoverage(log);
  } else {
    log("[3/4] Demo accounts skipped (SEED_DEMO=false)");
  }
  log("[4/4] Courses from courses/…");
  try {
    const report = await syncCourses(options.coursesDir, { onProgress: (line) => log(`      ${line}`) });
    const { created, updated, unchanged, removed } = report.lessons;
    log(`      lessons: ${created} created, ${updated} updated, ${unchanged} unchanged, ${removed} removed`);
  } catch (error) {
    if (error instanceof CourseFilesError) {
      throw new Error(`courses/ has problems; nothing was loaded:\n${error.message}`);
    }
    throw error;
  } finally {
    await closeSql();
    await db.$disconnect();
  }
}
