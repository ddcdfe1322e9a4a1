// The keys that sign certificates' credentials (docs/decisions/080-certificates-credentials.md).
//   npm run issuer-keys -- list     the keys, oldest first; the last one signs (created if there are none)
//   npm run issuer-keys -- rotate   a new signing key; the old ones stay published, so what they signed still verifies
// With ISSUER_KEYS set, `rotate` writes nothing: it prints the new set for the environment.
import { runIssuerKeysCli } from "~/certificates/issuer-keys-cli.server";

process.exit(
  runIssuerKeysCli(
    process.argv.slice(2),
    (line) => console.log(line),
    (line) => console.error(line),
  ),
);
