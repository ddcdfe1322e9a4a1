// Imports a roster (CSV or XLSX) into the database at DATABASE_URL, migrating
// an empty database first. See docs/coverage.md.
//   npm run roster:import -- <file> [--strict] [--lang vi|en] [--rejects rejects.csv]
import { runImportCli } from "~/coverage/cli.server";

process.exit(await runImportCli("ROSTER", process.argv.slice(2)));
