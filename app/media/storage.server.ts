import { createHash, randomUUID } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, rename, rm, stat, statfs } from "node:fs/promises";
import path from "node:path";
import { finished, pipeline } from "node:stream/promises";
import { getEnv } from "~/utils/env.server";

// Local media storage: files are named by the SHA-256 of their bytes, so the
// same video uploaded twice is stored once, and a name from a request can be
// checked against a strict pattern before it ever becomes a path.

export const STORAGE_KEY = /^[0-9a-f]{2}\/[0-9a-f]{64}\.(mp4|webm|pdf|png|jpg|webp)$/;

export type StoredFile = { sha256: string; storageKey: string; sizeBytes: number };

// The file system calls that can fail for want of space or write access.
// Tests replace them to play a full disk (ENOSPC) or a read-only mount (EROFS):
// neither can be made for real without root tricks.
export const storageFs = { createWriteStream, statfs };

export type StorageFailure = "full" | "readOnly";

/** A full disk or a folder the server may not write to: the operator's problem, not the trainer's. */
export function storageFailure(error: unknown): StorageFailure | null {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (code === "ENOSPC" || code === "EDQUOT") return "full";
  if (code === "EROFS" || code === "EACCES" || code === "EPERM") return "readOnly";
  return null;
}

// Below this much free space the media folder counts as full: one more upload chunk would not fit.
const FULL_BELOW_BYTES = 64 * 1024 * 1024;

/** For /healthz: can a file be written in MEDIA_DIR, and is there room for one? */
export async function checkMediaStorage(): Promise<"ok" | StorageFailure> {
  const dir = path.join(getEnv().mediaDir, "tmp");
  const probe = path.join(dir, `health-${randomUUID()}`);
  try {
    await mkdir(dir, { recursive: true });
    const out = storageFs.createWriteStream(probe);
    out.end("ok");
    await finished(out);
    const space = await storageFs.statfs(dir);
    return space.bavail * space.bsize < FULL_BELOW_BYTES ? "full" : "ok";
  } catch (error) {
    return storageFailure(error) ?? "readOnly";
  } finally {
    await rm(probe, { force: true }).catch(() => {});
  }
}

export function mediaPath(storageKey: string): string {
  if (!STORAGE_KEY.test(storageKey)) throw new Error(`Refusing a malformed storage key: ${storageKey}`);
  return path.join(getEnv().mediaDir, storageKey);
}

/** A temporary file inside MEDIA_DIR, so the final rename stays on one filesystem. */
export async function tempMediaPath(): Promise<string> {
  const dir = path.join(getEnv().mediaDir, "tmp");
  await mkdir(dir, { recursive: true });
  return path.join(dir, randomUUID());
}

export async function sha256OfFile(filePath: string): Promise<string> {
  const hash = createHash("sha256");
  await pipeline(createReadStream(filePath), hash);
  return hash.digest("hex");
}

/** Moves a finished temporary file to its content address. */
export async function commitTempFile(tempPath: string, extension: string, sha256?: string): Promise<StoredFile> {
  const hash = sha256 ?? (await sha256OfFile(tempPath));
  const storageKey = `${hash.slice(0, 2)}/${hash}.${extension}`;
  const target = mediaPath(storageKey);
  await mkdir(path.dirname(target), { recursive: true });
  await rename(tempPath, target);
  const { size } = await stat(target);
  return { sha256: hash, storageKey, sizeBytes: size };
}

/** Copies a file from disk (courses/ content) into storage. */
export async function storeFileCopy(sourcePath: string, extension: string): Promise<StoredFile> {
  const temp = await tempMediaPath();
  try {
    await pipeline(createReadStream(sourcePath), createWriteStream(temp));
    return await commitTempFile(temp, extension);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}
