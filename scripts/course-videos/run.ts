// Running ffmpeg and espeak-ng, and stopping cleanly on Ctrl-C.
import { execFile } from "node:child_process";

export class Interrupted extends Error {}

// Ctrl-C also reaches the child processes; remember it so that temp dirs are removed.
let interrupted = false;

export function watchForInterrupts(): void {
  for (const sig of ["SIGINT", "SIGTERM"] as const) {
    process.on(sig, () => {
      interrupted = true;
    });
  }
}

export function isInterrupted(): boolean {
  return interrupted;
}

/** Runs a program with an argument array (no shell); rejects with the tail of its stderr. */
export function run(cmd: string, args: string[], what: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (interrupted) return reject(new Interrupted("interrupted"));
      if (!error) return resolve(stdout);
      const tail = (stderr || stdout || error.message).trim().split("\n").slice(-8).join("\n");
      reject(new Error(`${what}: ${cmd} failed (${error.code ?? error.signal ?? "error"})\n${tail}`));
    });
  });
}

/** Paths go into ffmpeg filter graphs unescaped, so only allow plain characters. */
export function filterSafe(p: string): string {
  if (!/^[A-Za-z0-9/._+-]+$/.test(p)) {
    throw new Error(`path not usable inside an ffmpeg filter graph: ${p}`);
  }
  return p;
}
