import { createHash, randomUUID } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, rename, rm, stat } from "node:fs/promises";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { getEnv } from "~/utils/env.server";

// Local media storage: files are named by the SHA-256 of their bytes, so the
// same video uploaded twice is stored once, and a name from a request can be
// checked against a strict pattern before it ever becomes a path.

export const STORAGE_KEY = /^[0-9a-f]{2}\/[0-9a-f]{64}\.(mp4|webm|pdf|png|jpg|webp)$/;

export type StoredFile = { sha256: string; storageKey: string; sizeBytes: number };

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
