// Imports training records (CSV or XLSX: personnel_code,course_code,
// completed_on,mode) into the database at DATABASE_URL. See docs/coverage.md.
//   npm run training:import -- <file> [--strict] [--lang vi|en] [--rejects rejects.csv]
import { runImportCli } from "~/coverage/cli.server";

process.exit(await runImportCli("TRAINING", process.argv.slice(2)));
