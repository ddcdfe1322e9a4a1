// Scripted coverage reporting against DATABASE_URL (migrates an empty database
// first). See docs/coverage.md.
//   npm run report -- coverage --as-of 2025-12-31 --by province --format json
//   npm run report -- verify
//   npm run report -- repair
import { runReportCli } from "~/coverage/report-cli.server";

process.exit(await runReportCli(process.argv.slice(2)));
