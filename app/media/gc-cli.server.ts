import { parseArgs } from "node:util";
import { z } from "zod";
import { CLI_ACTOR } from "~/audit/audit.server";
import { getEnv } from "~/utils/env.server";
import { collectMedia, runMediaGc, type MediaGcReport } from "./gc.server";
import { formatBytes } from "./refusals";

// `npm run media:gc [-- --dry-run] [--grace-days N]`: the hourly collector,
// by hand. A real run is audited as "cli"; a dry run changes nothing.
// Exit status: 0 done, 2 bad arguments, 1 some removals failed (see the log).

export const USAGE = "usage: npm run media:gc [-- --dry-run] [--grace-days <0-3650>]";

const ArgsSchema = z.object({
  dryRun: z.boolean().default(false),
  graceDays: z
    .string()
    .regex(/^\d+$/, "--grace-days must be a whole number of days")
    .transform(Number)
    .pipe(z.number().max(3650, "--grace-days must be at most 3650"))
    .optional(),
});

export type CliIo = { out: (text: string) => void; err: (text: string) => void };

export async function runMediaGcCli(argv: string[], io: CliIo): Promise<number> {
  let raw: { "dry-run"?: boolean; "grace-days"?: string };
  try {
    raw = parseArgs({
      args: argv,
      options: { "dry-run": { type: "boolean" }, "grace-days": { type: "string" } },
      strict: true,
    }).values;
  } catch (error) {
    io.err(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const args = ArgsSchema.safeParse({ dryRun: raw["dry-run"], graceDays: raw["grace-days"] });
  if (!args.success) {
    io.err(`${args.error.issues.map((i) => i.message).join("\n")}\n${USAGE}`);
    return 2;
  }
  const graceDays = args.data.graceDays ?? getEnv().MEDIA_GC_GRACE_DAYS;
  const log = (line: string) => io.out(`  ${line}`);
  io.out(
    `${args.data.dryRun ? "Dry run: nothing is changed. " : ""}Media unused for more than ${graceDays} day(s) goes; MEDIA_DIR is ${getEnv().mediaDir}.`,
  );
  const report = args.data.dryRun
    ? await runMediaGc({ dryRun: true, graceDays, log })
    : await collectMedia(CLI_ACTOR, { graceDays, log });
  io.out(summary(report));
  return report.errors > 0 ? 1 : 0;
}

export function summary(report: MediaGcReport): string {
  const verb = report.dryRun ? "Would remove" : "Removed";
  const lines = [
    `${report.dryRun ? "Would mark" : "Marked"} ${report.marked} asset(s) unused; ${report.cleared} used again.`,
    `${verb} ${report.assets.count} unused asset(s)${report.muxAssets > 0 ? ` (${report.muxAssets} at Mux)` : ""}: ${formatBytes(report.assets.bytes)}.`,
    `${verb} ${report.uploads.count} abandoned upload(s): ${formatBytes(report.uploads.bytes)}.`,
    `${verb} ${report.unknownFiles.count} file(s) no row knows: ${formatBytes(report.unknownFiles.bytes)}.`,
    `Total: ${formatBytes(report.assets.bytes + report.uploads.bytes + report.unknownFiles.bytes)}.`,
  ];
  if (report.foreign.length > 0) lines.push(`Left alone (not managed by the collector): ${report.foreign.join(", ")}`);
  if (report.errors > 0) lines.push(`${report.errors} removal(s) failed; see the log. The next run tries again.`);
  return lines.join("\n");
}
