import { randomBytes } from "node:crypto";
import { chmodSync, linkSync, mkdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { getEnv } from "~/utils/env.server";
import { newIssuerKeySet, parseIssuerKeySet, rotated, type IssuerKeySet } from "./keys.server";

// Where the keys live: ISSUER_KEYS (an environment variable, for deployments
// whose file system is not theirs to keep) or a file in the data folder,
// created on first use. Two instances starting together create one file: the
// complete file is linked into place, which fails for the second, and the
// second reads the first's. The file is re-read when it changes, so a rotation
// from the command line reaches running servers without a restart.

export type KeySource = { kind: "env" } | { kind: "file"; path: string };

export function keySource(): KeySource {
  const env = getEnv();
  return env.ISSUER_KEYS ? { kind: "env" } : { kind: "file", path: env.issuerKeysFile };
}

let cached: { path: string; mtimeMs: number; size: number; set: IssuerKeySet } | undefined;

function readKeyFile(file: string): IssuerKeySet {
  const parsed = parseIssuerKeySet(readFileSync(file, "utf8"));
  // Refusing to start signing with a new key beats overwriting a damaged file: old credentials would stop verifying.
  if (!parsed.ok) throw new Error(`${file} is not an issuer key set (${parsed.message}); restore it from a backup`);
  return parsed.set;
}

/** Writes the whole file beside its destination, private to this user, and hands back its temporary path. */
function writePrivate(file: string, set: IssuerKeySet): string {
  mkdirSync(path.dirname(file), { recursive: true });
  const temp = `${file}.${randomBytes(6).toString("hex")}.tmp`;
  writeFileSync(temp, `${JSON.stringify(set, null, 2)}\n`, { mode: 0o600, flag: "wx" });
  chmodSync(temp, 0o600);
  return temp;
}

/** Creates the file unless another process did first; either way returns what is in it. */
export function createKeyFileOnce(file: string): IssuerKeySet {
  const set = newIssuerKeySet();
  const temp = writePrivate(file, set);
  try {
    linkSync(temp, file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EPERM" || code === "ENOTSUP" || code === "ENOSYS") {
      // A file system without hard links: exclusive create, still never over another's file.
      try {
        writeFileSync(file, readFileSync(temp), { mode: 0o600, flag: "wx" });
      } catch (inner) {
        if ((inner as NodeJS.ErrnoException).code !== "EEXIST") throw inner;
      }
    } else if (code !== "EEXIST") throw error;
  } finally {
    unlinkSync(temp);
  }
  return readKeyFile(file);
}

let fromEnv: { text: string; set: IssuerKeySet } | undefined;

/**
 * ISSUER_KEYS read as a key set. A bad value throws the environment's own
 * "Invalid environment variables" message, so a server stops at start with it;
 * the message names the problem, never a key.
 */
export function keySetFromEnv(text: string): IssuerKeySet {
  if (fromEnv?.text === text) return fromEnv.set;
  const parsed = parseIssuerKeySet(text);
  if (!parsed.ok)
    throw new Error(`Invalid environment variables:\n  ISSUER_KEYS: not an issuer key set: ${parsed.message}`);
  fromEnv = { text, set: parsed.set };
  return parsed.set;
}

/** At start: the keys load (made in their file on the first start), or the start stops. */
export function checkIssuerKeys(): void {
  issuerKeySet();
}

/** The issuer's key set, created on first use when it is kept in a file. */
export function issuerKeySet(): IssuerKeySet {
  const env = getEnv();
  if (env.ISSUER_KEYS) return keySetFromEnv(env.ISSUER_KEYS);
  const file = env.issuerKeysFile;
  let stat;
  try {
    stat = statSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    createKeyFileOnce(file);
    stat = statSync(file);
  }
  if (!cached || cached.path !== file || cached.mtimeMs !== stat.mtimeMs || cached.size !== stat.size) {
    cached = { path: file, mtimeMs: stat.mtimeMs, size: stat.size, set: readKeyFile(file) };
  }
  return cached.set;
}

/**
 * Adds a new current key. In a file: replaced in one rename, old keys kept.
 * From ISSUER_KEYS: nothing is written; the caller prints the new set for the
 * operator to put in the environment.
 */
export function rotateIssuerKeys(now = new Date()): { set: IssuerKeySet; written: string | null } {
  const set = rotated(issuerKeySet(), now);
  const source = keySource();
  if (source.kind === "env") return { set, written: null };
  const temp = writePrivate(source.path, set);
  renameSync(temp, source.path);
  cached = undefined;
  return { set, written: source.path };
}
