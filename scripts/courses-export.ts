// Writes a course from the database at DATABASE_URL into the courses/ folder
// format, so that `npm run courses:sync` reads it back:
//   npm run courses:export -- <course-code> [--out <folder>]   (default folder: courses)
// The course's folder is replaced as a whole; a failed export changes nothing.
import path from "node:path";
import { ExportError, exportCourse } from "~/teach/export.server";
import { db } from "~/utils/db.server";

const args = process.argv.slice(2);
const outIndex = args.indexOf("--out");
const root = path.resolve(outIndex >= 0 ? (args[outIndex + 1] ?? "courses") : "courses");
const code = args.find((arg, i) => !arg.startsWith("--") && i !== outIndex + 1);

let exitCode = 0;
if (!code) {
  console.error("usage: npm run courses:export -- <course-code> [--out <folder>]");
  exitCode = 2;
} else {
  try {
    const report = await exportCourse(code, root);
    console.log(`Wrote ${path.relative(process.cwd(), report.dir) || "."}:`);
    for (const file of report.files) console.log(`  ${file}`);
  } catch (error) {
    exitCode = 1;
    if (error instanceof ExportError) {
      console.error(`Nothing was written. ${error.problems.length} problem(s):`);
      for (const problem of error.problems) console.error(`  ${problem}`);
    } else {
      console.error(error);
    }
  } finally {
    await db.$disconnect();
  }
}
process.exit(exitCode);
