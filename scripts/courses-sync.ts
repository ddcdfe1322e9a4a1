// Loads courses/ (or the folder given) into the database at DATABASE_URL.
//   npm run courses:sync [-- <folder>]
// Migrates an empty database first. Idempotent: a second run changes nothing.
// A malformed file is reported with its path and reason, and nothing changes.
import path from "node:path";
import { seedReferenceData } from "~/setup/seed.server";
import { CourseFilesError } from "~/teach/course-files.server";
import { syncCourses } from "~/teach/sync.server";
import { db } from "~/utils/db.server";
import { getEnv } from "~/utils/env.server";
import { migrate } from "~/utils/migrate.server";

const root = path.resolve(process.argv[2] ?? "courses");
let exitCode = 0;
try {
  await migrate(getEnv().DATABASE_URL);
  await seedReferenceData();
  console.log(`Syncing ${path.relative(process.cwd(), root) || "."} …`);
  const report = await syncCourses(root, { onProgress: (line) => console.log(`  ${line}`) });
  const { created, updated, unchanged, removed } = report.lessons;
  console.log(`Lessons: ${created} created, ${updated} updated, ${unchanged} unchanged, ${removed} removed.`);
} catch (error) {
  exitCode = 1;
  if (error instanceof CourseFilesError) {
    console.error(`Nothing was changed. ${error.errors.length} problem(s):`);
    for (const { path: where, reason } of error.errors)
      console.error(`  ${path.relative(process.cwd(), where)}: ${reason}`);
  } else {
    console.error(error);
  }
} finally {
  await db.$disconnect();
}
process.exit(exitCode);
