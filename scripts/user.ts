// People from the command line: the first admin of an installation, and
// accounts, roles and scopes without a browser. See app/people/cli.server.ts.
//   npm run user -- create --email a@b.vn --name "Nguyễn Văn A" --role ADMIN
//   npm run user -- list [--role COORDINATOR]
//   npm run user -- set-role --email a@b.vn --role COORDINATOR --province "Hà Giang"
import { runUserCli } from "~/people/cli.server";
import { db } from "~/utils/db.server";

const code = await runUserCli(process.argv.slice(2));
await db.$disconnect();
process.exit(code);
