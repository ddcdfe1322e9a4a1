import { parseArgs } from "node:util";
import { z } from "zod";
import { SCHEME_START } from "~/catalog/conventions";
import { parseAsOf, type AsOfProblem } from "./as-of";
import { closeCli, prepareForCli } from "./cli.server";
import { isoOfDay, vietnamDay } from "./dates";
import { tableToCsv, type ExportTable } from "./export.server";
import { coverageAsOf, loadGroups, rowFigures, type Breakdown, type CoverageRow } from "./report.server";
import { SYSTEM_ACTOR } from "./scope.server";
import { completionsWithoutRecord, onlineRecordsWithoutCompletion, repairMissingRecords } from "./training.server";
import { loadRawRows, verifyCoverage, verifySeries } from "./verify.server";

// `npm run report -- coverage --as-of YYYY-MM-DD --by province|former-province|agency|group --format json|csv [--group CODE]`
// `npm run report -- verify [--as-of YYYY-MM-DD]`: checks the summary table against the raw rows, and
// that every completion of a linked person has its training record (exit 1 when anything is wrong).
// `npm run report -- repair`: creates the missing records (online, dated the completion's day in Vietnam).

const USAGE = `usage:
  npm run report -- coverage [--as-of YYYY-MM-DD] [--by group|province|former-province|agency] [--format json|csv] [--group CODE]
  npm run report -- verify [--as-of YYYY-MM-DD]
  npm run report -- repair`;

// The same as-of rule as the coverage pages (./as-of.ts), said the way a command line says it.
const AS_OF_MESSAGES: Record<AsOfProblem, string> = {
  unreadable: "--as-of must be a real date written YYYY-MM-DD",
  future: "--as-of is in the future: there are no figures for it yet",
  beforeStart: `--as-of is before ${SCHEME_START}, when the scheme started`,
};

const ArgsSchema = z.object({
  command: z.enum(["coverage", "verify", "repair"]),
  asOf: z.string().optional(),
  by: z
    .enum(["group", "province", "former-province", "agency"], {
      message: "--by must be group, province, former-province or agency",
    })
    .default("group"),
  format: z.enum(["json", "csv"], { message: "--format must be json or csv" }).default("json"),
  group: z.string().optional(),
});

const UNIT_KEY: Record<Exclude<Breakdown, "group">, string> = {
  province: "province",
  former_province: "former_province",
  agency: "agency",
};

/** One row of the report: one group in one unit (or the group overall). */
export function reportRow(row: CoverageRow, by: Breakdown): Record<string, string | number | null> {
  const unit =
    by === "group"
      ? {}
      : { [UNIT_KEY[by]]: row.unit?.nameVi ?? null, [`${UNIT_KEY[by]}_code`]: row.unit?.code ?? null };
  return {
    group: row.group.code,
    ...unit,
    ...rowFigures(row),
    status: row.status,
  };
}

export async function runReportCli(
  argv: string[],
  out: (text: string) => void = (text) => process.stdout.write(text),
): Promise<number> {
  let parsed;
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        "as-of": { type: "string" },
        by: { type: "string" },
        format: { type: "string" },
        group: { type: "string" },
      },
    });
    parsed = ArgsSchema.safeParse({
      command: positionals[0],
      asOf: values["as-of"],
      by: values.by,
      format: values.format,
      group: values.group,
    });
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    return 1;
  }
  if (!parsed.success) {
    console.error(`${parsed.error.issues.map((i) => i.message).join("\n")}\n${USAGE}`);
    return 1;
  }
  const args = parsed.data;
  const asOf = parseAsOf(args.asOf, vietnamDay(new Date()));
  if (asOf.problem) {
    console.error(`${AS_OF_MESSAGES[asOf.problem]}\n${USAGE}`);
    return 1;
  }
  const day = asOf.day;
  try {
    await prepareForCli();
    if (args.command === "verify") return await verify(day);
    if (args.command === "repair") return await repair(out);
    const by = (args.by === "former-province" ? "former_province" : args.by) as Breakdown;
    const rows = (await coverageAsOf(SYSTEM_ACTOR, day, by, { groupCode: args.group })).map((row) =>
      reportRow(row, by),
    );
    if (args.format === "json") {
      out(`${JSON.stringify(rows, null, 2)}\n`);
    } else {
      const keys = rows[0] ? Object.keys(rows[0]) : ["group", "headcount", "trained", "percent", "target"];
      const table: ExportTable = {
        title: "coverage",
        columns: keys.map((key) => ({ key, header: key, numeric: !/^(group|status)$|province|agency/.test(key) })),
        rows,
      };
      out(tableToCsv(table, { bom: false }).toString("utf8"));
    }
    return 0;
  } finally {
    await closeCli();
  }
}

async function verify(day: number): Promise<number> {
  const groups = await loadGroups();
  const days = [...new Set([day, ...groups.flatMap((g) => g.rules.map((r) => r.schemeStartDay))])].filter(
    (d) => d <= day,
  );
  const started = performance.now();
  const rows = await loadRawRows();
  const mismatches = await verifyCoverage(SYSTEM_ACTOR, days, undefined, rows);
  const series = (await Promise.all(groups.map((g) => verifySeries(SYSTEM_ACTOR, day, g.code, rows)))).flat();
  for (const m of mismatches)
    console.error(`${isoOfDay(m.day)} by ${m.by}: raw ${JSON.stringify(m.raw)} ≠ summary ${JSON.stringify(m.summary)}`);
  for (const s of series)
    console.error(`${s.point.label}: raw ${JSON.stringify(s.expected)} ≠ series ${JSON.stringify(s.point)}`);
  const ok = mismatches.length === 0 && series.length === 0;
  console.error(
    `${ok ? "OK" : "MISMATCH"}: summary table ${ok ? "equals" : "differs from"} the computation from raw rows on ${days.map(isoOfDay).join(", ")} and every month to ${isoOfDay(day)} (${((performance.now() - started) / 1000).toFixed(1)} s)`,
  );
  const missing = await completionsWithoutRecord();
  for (const m of missing)
    console.error(
      `completion ${m.completionId} (${m.courseCode}, ${m.completedAt}) of person ${m.personId} has no training record`,
    );
  console.error(
    missing.length === 0
      ? "OK: every course completion of a linked person has its training record"
      : `MISSING: ${missing.length} course completion(s) of linked people without a training record; \`npm run report -- repair\` creates them`,
  );
  // Not a fault: the training happened, and its record keeps the evidence it was made with.
  const orphans = await onlineRecordsWithoutCompletion();
  if (orphans.length > 0)
    console.error(
      `note: ${orphans.length} online record(s) whose completion was deleted (account or course gone); they still count`,
    );
  return ok && missing.length === 0 ? 0 : 1;
}

async function repair(out: (text: string) => void): Promise<number> {
  const created = await repairMissingRecords();
  for (const c of created)
    out(
      `created online record: person ${c.personId}, course ${c.courseCode}, completion ${c.completionId} (${c.completedAt})\n`,
    );
  out(
    created.length === 0
      ? "nothing to repair: every completion of a linked person has its training record\n"
      : `created ${created.length} training record(s)\n`,
  );
  return 0;
}
