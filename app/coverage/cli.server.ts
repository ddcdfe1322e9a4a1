import { constants } from "node:fs";
import { access, copyFile, mkdir, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import { db } from "~/utils/db.server";
import { getEnv } from "~/utils/env.server";
import { sortableId } from "~/utils/ids.server";
import { migrate } from "~/utils/migrate.server";
import { tableToCsv } from "./export.server";
import { coverageT } from "./i18n.server";
import { importNow } from "./import-jobs.server";
import { progressKey, servesNoRequests, type ImportKind, type ImportProgress } from "./imports.server";
import { seedReferenceData } from "./reference-data.server";
import { SYSTEM_ACTOR } from "./scope.server";
import { closeSql } from "~/db/sql.server";
import { rejectsTable } from "./tables.server";

// What the command-line tools share: an up-to-date database first, and the
// import runner with progress on stderr. The CLI acts as the national level.

/** Migrates an empty (or old) database and loads reference data; logs go to stderr so stdout stays data. */
export async function prepareForCli() {
  servesNoRequests();
  const applied = await migrate(getEnv().DATABASE_URL);
  if (applied.length) console.error(`Applied migrations: ${applied.join(", ")}`);
  await seedReferenceData();
}

export async function closeCli() {
  await closeSql();
  await db.$disconnect();
}

function progressPrinter(t: Awaited<ReturnType<typeof coverageT>>["t"]) {
  let lastShown = -1;
  let lastText = "";
  return (progress: ImportProgress) => {
    if (progress.phase === "done") return;
    const percent = progress.total ? Math.floor((progress.done / progress.total) * 100) : 0;
    const text = t(`importResult.phase.${progressKey(progress)}`, progress);
    // Reading, then checking before its first row, say the same: once.
    if (text === lastText) return;
    lastText = text;
    if (process.stderr.isTTY) {
      const bar = "█".repeat(Math.floor(percent / 4)).padEnd(25, "░");
      process.stderr.write(`\r${bar} ${percent}% ${text}`.padEnd(100));
    } else if (progress.phase !== "writing" || percent >= lastShown + 10 || progress.done === progress.total) {
      lastShown = percent;
      process.stderr.write(`${text}\n`);
    }
  };
}

/**
 * `npm run roster:import -- <file> [--strict] [--lang en] [--rejects out.csv]`
 * Exit status: 0 all rows imported, 2 some rows rejected (the rest imported),
 * 1 nothing imported (the file was refused, or --strict found a bad row).
 */
export async function runImportCli(kind: ImportKind, argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      strict: { type: "boolean", default: false },
      lang: { type: "string", default: "vi" },
      rejects: { type: "string" },
    },
  });
  const { t } = await coverageT(values.lang);
  const file = positionals[0];
  if (!file) {
    console.error(
      `usage: npm run ${kind === "ROSTER" ? "roster:import" : "training:import"} -- <file.csv|file.xlsx> [--strict] [--lang vi|en] [--rejects rejects.csv]`,
    );
    return 1;
  }
  // A path that is not a readable file is the operator's typo, not a fault:
  // one translated line and status 1, before the database is touched.
  const info = await stat(file).catch(() => null);
  if (!info?.isFile()) {
    console.error(t(info ? "cli.notAFile" : "cli.fileMissing", { file }));
    return 1;
  }
  try {
    await access(file, constants.R_OK);
  } catch {
    console.error(t("cli.fileUnreadable", { file }));
    return 1;
  }
  try {
    await prepareForCli();
    const started = performance.now();
    // A copy the import takes over, as an upload's file: the worker reads it
    // from disk, so this process never holds the file (decision 160).
    const copy = path.join(getEnv().mediaDir, "imports", `cli-${sortableId()}`);
    await mkdir(path.dirname(copy), { recursive: true });
    await copyFile(file, copy);
    const outcome = await importNow(
      kind,
      { fileName: path.basename(file), path: copy, strict: values.strict, actor: SYSTEM_ACTOR, createdById: null },
      progressPrinter(t),
    ).finally(() => rm(copy, { force: true }));
    if (process.stderr.isTTY) process.stderr.write("\n");
    for (const reject of outcome.rejects) {
      console.log(
        t("cli.rejected", {
          row: reject.row,
          field: reject.field,
          reason: t(`reject.${reject.reason}`, reject.params ?? {}),
        }) + (reject.value ? ` [${reject.value}]` : ""),
      );
    }
    if (values.rejects) await writeFile(values.rejects, tableToCsv(rejectsTable(outcome.rejects, t)));
    if (outcome.failure) {
      console.error(t(`file.${outcome.failure.reason}`, outcome.failure.params));
      return 1;
    }
    console.log(t("cli.summary", { total: outcome.total, ...outcome.counts, rejected: outcome.rejected }));
    console.error(`(${((performance.now() - started) / 1000).toFixed(1)} s)`);
    return outcome.rejected > 0 ? 2 : 0;
  } finally {
    await closeCli();
  }
}
