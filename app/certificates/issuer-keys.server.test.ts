import { mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { getEnv } from "~/utils/env.server";
import { runIssuerKeysCli } from "./issuer-keys-cli.server";
import { createKeyFileOnce, issuerKeySet } from "./issuer-keys.server";
import { newIssuerKeySet } from "./keys.server";

describe("the key file", () => {
  it("is created complete and private, and a second instance starting at the same moment keeps the first one's keys", () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), "keys-")), "nested", "issuer-keys.json");
    const first = createKeyFileOnce(file);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    // The second instance lost the race: it finds the file already linked in place and reads it.
    const second = createKeyFileOnce(file);
    expect(second).toEqual(first);
    expect(JSON.parse(readFileSync(file, "utf8"))).toEqual(first);
  });

  it("is never replaced when damaged: the server refuses to sign instead of losing the old keys", () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), "keys-")), "issuer-keys.json");
    writeFileSync(file, JSON.stringify({ ...newIssuerKeySet(), keys: [] }));
    expect(() => createKeyFileOnce(file)).toThrow(/not an issuer key set.*restore it from a backup/);
    expect(JSON.parse(readFileSync(file, "utf8")).keys).toEqual([]);
  });
});

describe("npm run issuer-keys", () => {
  it("lists the keys and rotates, keeping the old ones", () => {
    const out: string[] = [];
    const err: string[] = [];
    expect(
      runIssuerKeysCli(
        ["list"],
        (l) => out.push(l),
        (l) => err.push(l),
      ),
    ).toBe(0);
    const before = issuerKeySet();
    expect(out.join("\n")).toContain(before.keys[0]!.kid);
    expect(out.join("\n")).toContain(getEnv().issuerKeysFile);
    expect(out.join("\n")).not.toContain(before.keys[0]!.jwk.d);
    expect(
      runIssuerKeysCli(
        ["rotate"],
        (l) => out.push(l),
        (l) => err.push(l),
      ),
    ).toBe(0);
    const after = issuerKeySet();
    expect(after.keys.slice(0, -1)).toEqual(before.keys);
    expect(after.keys).toHaveLength(before.keys.length + 1);
    expect(out.at(-1)).toMatch(/signs new credentials/);
    expect(
      runIssuerKeysCli(
        ["delete"],
        (l) => out.push(l),
        (l) => err.push(l),
      ),
    ).toBe(2);
    expect(err.at(-1)).toMatch(/usage/);
  });
});
