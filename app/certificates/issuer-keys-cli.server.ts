import { getEnv } from "~/utils/env.server";
import { issuerKeySet, keySource, rotateIssuerKeys } from "./issuer-keys.server";
import { currentKey, didWebOf, verificationMethodId, type IssuerKeySet } from "./keys.server";

function describe(set: IssuerKeySet, did: string): string[] {
  const signing = currentKey(set).kid;
  return set.keys.map(
    (key) =>
      `${key.createdAt}  ${verificationMethodId(did, key)}${key.kid === signing ? "  (signs new credentials)" : ""}`,
  );
}

/** `npm run issuer-keys -- list|rotate`; returns the exit code. */
export function runIssuerKeysCli(
  args: readonly string[],
  out: (line: string) => void,
  err: (line: string) => void,
): number {
  const [command, ...rest] = args;
  if ((command !== "list" && command !== "rotate") || rest.length > 0) {
    err("usage: npm run issuer-keys -- list | rotate");
    return 2;
  }
  try {
    const did = didWebOf(getEnv().publicUrl);
    const source = keySource();
    if (command === "list") {
      out(`${did} — keys from ${source.kind === "env" ? "ISSUER_KEYS" : source.path}`);
      for (const line of describe(issuerKeySet(), did)) out(line);
      return 0;
    }
    const { set, written } = rotateIssuerKeys();
    if (written) {
      out(`New signing key written to ${written}; the earlier keys stay published.`);
      for (const line of describe(set, did)) out(line);
    } else {
      err(
        "ISSUER_KEYS is set: nothing written. Put this value in ISSUER_KEYS on every instance (it holds private keys: keep it secret):",
      );
      out(JSON.stringify(set));
    }
    return 0;
  } catch (error) {
    err((error as Error).message);
    return 1;
  }
}
