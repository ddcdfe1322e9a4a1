// Removes media no lesson or course uses any more, abandoned uploads and
// files in MEDIA_DIR that no row knows (docs/decisions/014-media-gc.md).
// The server does this hourly; this is the same pass, by hand.
//   npm run media:gc [-- --dry-run] [--grace-days N]
import { runMediaGcCli } from "~/media/gc-cli.server";
import { db } from "~/utils/db.server";

const code = await runMediaGcCli(process.argv.slice(2), {
  out: (t) => console.log(t),
  err: (t) => console.error(t),
}).catch((error: unknown) => {
  console.error(error);
  return 1;
});
await db.$disconnect();
process.exit(code);
