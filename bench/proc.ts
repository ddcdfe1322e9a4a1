// What a bench reads of a server process from /proc (Linux).
import { readdirSync, readFileSync } from "node:fs";

/**
 * The arguments after `node` of an npm script that runs node itself (as
 * `roster:import` does), so a bench starts the command exactly as npm would,
 * node's flags and all, as its own child: what it samples is that process.
 */
export function npmScriptNodeArgs(name: string): string[] {
  const scripts = (JSON.parse(readFileSync("package.json", "utf8")) as { scripts: Record<string, string> }).scripts;
  const words = (scripts[name] ?? "").trim().split(/\s+/);
  if (words[0] !== "node") throw new Error(`npm run ${name} does not run node: ${scripts[name]}`);
  return words.slice(1);
}

const CLOCK_TICKS_PER_SECOND = 100; // Linux USER_HZ

/** The process's CPU time so far (user + system, all its threads), in milliseconds. */
export function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  // Fields after the command name (which may hold spaces): state is field 3, utime 14, stime 15.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
}

/** The process's resident memory (VmRSS), in MB. */
export function rssMb(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return Number(match![1]) / 1024;
}

/**
 * CPU time so far (ms) of the PostgreSQL backends connected to `database` on
 * this machine (by their process titles). A
 * backend that has exited since is not counted: compare over a run on pooled,
 * long-lived connections.
 */
export function postgresBackendsCpuMs(database: string): number {
  // "postgres: [cluster: ]user database host(port) state"
  const backend = new RegExp(`^postgres: (\\S+: )?\\S+ ${database} `);
  let total = 0;
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const title = readFileSync(`/proc/${entry}/cmdline`, "utf8").replace(/\0/g, " ");
      if (backend.test(title)) total += cpuMs(Number(entry));
    } catch {
      // Gone between the listing and the read.
    }
  }
  return total;
}
