// Brings the database at DATABASE_URL up to date: migrations, reference data,
// demo accounts (unless SEED_DEMO=false) and the courses/ content.
//   npm run db:prepare
import path from "node:path";
import { prepareDatabase } from "~/setup/prepare.server";
import { getEnv } from "~/utils/env.server";

const code = await prepareDatabase({
  coursesDir: path.resolve("courses"),
  demo: getEnv().seedDemo,
  log: (line) => console.log(line),
}).then(
  () => 0,
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    return 1;
  },
);
process.exit(code);
