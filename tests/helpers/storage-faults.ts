import { createWriteStream } from "node:fs";
import { Writable } from "node:stream";
import { storageFs } from "~/media/storage.server";

// A full disk and a read-only mount, played at the storage module's seam.

function fsError(code: "ENOSPC" | "EROFS", syscall: string) {
  return Object.assign(new Error(`${code}: simulated, ${syscall}`), { code, syscall });
}

/** Writes go to disk until `bytes` have been written, then fail with ENOSPC: a partial file stays behind. */
export function fillDiskAfter(bytes: number) {
  storageFs.createWriteStream = ((file: string, options: Parameters<typeof createWriteStream>[1]) => {
    const real = createWriteStream(file, options);
    let written = 0;
    return new Writable({
      write(chunk: Buffer, _encoding, callback) {
        if (written + chunk.length > bytes) return callback(fsError("ENOSPC", "write"));
        written += chunk.length;
        real.write(chunk, callback);
      },
      final: (callback) => real.end(callback),
      destroy: (error, callback) => real.close(() => callback(error)),
    });
  }) as unknown as typeof createWriteStream;
}

/** Opening a file for writing fails with EROFS, as on a read-only mount. */
export function makeMediaReadOnly() {
  storageFs.createWriteStream = (() =>
    new Writable({
      construct: (callback) => callback(fsError("EROFS", "open")),
      write: (_chunk, _encoding, callback) => callback(),
    })) as unknown as typeof createWriteStream;
}

/** statfs says only a few kilobytes are free. */
export function reportDiskNearlyFull() {
  storageFs.statfs = (async (...args: Parameters<typeof storageFs.statfs>) => ({
    ...(await realStatfs(...args)),
    bavail: 2,
    bsize: 4096,
  })) as typeof storageFs.statfs;
}

const realCreateWriteStream = storageFs.createWriteStream;
const realStatfs = storageFs.statfs;
export function restoreStorage() {
  storageFs.createWriteStream = realCreateWriteStream;
  storageFs.statfs = realStatfs;
}
