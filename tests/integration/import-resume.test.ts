import { spawn } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { failOrphanImports, startImport } from "~/coverage/import-jobs.server";
import { SYSTEM_ACTOR } from "~/coverage/scope.server";
import { vietnamDay } from "~/coverage/dates";
import { closeSql, getSql } from "~/db/sql.server";
import { verifyCoverage } from "~/coverage/verify.server";
import { JobRunner } from "~/jobs/runner.server";
import { seedReferenceData } from "~/setup/seed.server";
import { db } from "~/utils/db.server";
import { ROSTER_HEAD } from "../helpers/coverage";

// A roster import killed with SIGKILL halfway is resumed by the next runner
// and ends DONE with every row, or, with no attempts left, ends FAILED with a
// message: never "running" forever. On SQLite the slices committed before the
// kill stay; on PostgreSQL the import is one transaction (decision 160), so
// the kill leaves none of it and the second run writes every row.

beforeAll(seedReferenceData);
afterAll(closeSql);

const ROWS = 45_000;

function rosterCsv(rows: number, prefix: string): string {
  const lines = [ROSTER_HEAD];
  for (let i = 0; i < rows; i++)
    lines.push(`${prefix}${i},Người Thứ ${i},,Bộ Tư pháp,${i % 2 ? "Hà Nội" : "Đà Nẵng"},HR_WORK,,,`);
  return `${lines.join("\n")}\n`;
}

const importFile = (jobId: string) => path.join(process.env.MEDIA_DIR!, "imports", jobId);

describe("an import killed halfway", () => {
  it("is resumed after a restart and finishes with every row", { timeout: 240_000 }, async () => {
    const file = path.join(process.env.MEDIA_DIR!, "..", "roster-45k.csv");
    writeFileSync(file, rosterCsv(ROWS, "K"));
    const child = spawn(process.execPath, ["--import", "tsx", "tests/fixtures/import-worker.ts", file], {
      env: { ...process.env, NODE_ENV: "production", LOG_LEVEL: "silent" },
      stdio: ["ignore", "pipe", "inherit"],
    });
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      child.on("exit", (_code, signal) => resolve(signal)),
    );
    const importId = await new Promise<string>((resolve, reject) => {
      child.stdout.once("data", (chunk: Buffer) => resolve(JSON.parse(chunk.toString()).importId as string));
      child.once("exit", () => reject(new Error("the import process ended before it started")));
    });
    const record = await db.dataImport.findUniqueOrThrow({ where: { id: importId } });
    const jobId = record.jobId!;
    // Wait until rows are being written, then kill it. SQLite: at least one
    // slice is committed. PostgreSQL writes rows as they are checked, in the
    // import's one transaction: past 20,000 rows checked, the first group of
    // them is being written (decision 160).
    const writing =
      getSql().dialect === "postgresql"
        ? (phase: string, done: number) => (phase === "checking" && done >= 20_000) || phase === "writing"
        : (phase: string, done: number) => phase === "writing" && done > 0;
    await expect
      .poll(
        async () => {
          const job = await db.job.findUniqueOrThrow({ where: { id: jobId } });
          return writing(job.progressPhase ?? "", job.progressDone);
        },
        { timeout: 180_000, interval: 20 },
      )
      .toBe(true);
    child.kill("SIGKILL");
    expect(await exited).toBe("SIGKILL");

    const written = await db.rosterPerson.count();
    if (getSql().dialect === "postgresql") expect(written).toBe(0);
    else expect(written).toBeGreaterThan(0);
    expect(written).toBeLessThan(ROWS);
    expect((await db.dataImport.findUniqueOrThrow({ where: { id: importId } })).status).toBe("RUNNING");
    expect((await db.job.findUniqueOrThrow({ where: { id: jobId } })).status).toBe("RUNNING");
    expect(existsSync(importFile(jobId))).toBe(true);

    // "Restart": a new runner notices the stopped heartbeat and resumes the job.
    const runner = new JobRunner({ pollMs: 20, staleMs: 2_000, kinds: ["import"] });
    await runner.start();
    await expect
      .poll(async () => (await db.job.findUniqueOrThrow({ where: { id: jobId } })).status, {
        timeout: 180_000,
        interval: 100,
      })
      .toBe("DONE");
    await runner.stop();

    const done = await db.dataImport.findUniqueOrThrow({ where: { id: importId } });
    expect(done.status).toBe("DONE");
    expect(done.acceptedRows).toBe(ROWS);
    // The rows of the first run are there already: the second counts them unchanged.
    expect(done.unchangedRows).toBe(written);
    expect(done.createdRows).toBe(ROWS - written);
    expect((await db.job.findUniqueOrThrow({ where: { id: jobId } })).attempts).toBe(2);
    expect(await db.rosterPerson.count()).toBe(ROWS);
    expect(existsSync(importFile(jobId))).toBe(false);
    // The summary table agrees with the raw rows after the interruption.
    expect(await verifyCoverage(SYSTEM_ACTOR, [vietnamDay(new Date())], ["group", "province"])).toEqual([]);
  });

  it("is marked failed with a message when no attempts are left", async () => {
    const importId = await startImport("ROSTER", {
      fileName: "small.csv",
      bytes: Buffer.from(rosterCsv(10, "F")),
      strict: false,
      actor: SYSTEM_ACTOR,
      createdById: null,
    });
    const { jobId } = await db.dataImport.findUniqueOrThrow({ where: { id: importId } });
    // As a process that died on the job's last attempt leaves it.
    await db.job.update({
      where: { id: jobId! },
      data: {
        status: "RUNNING",
        attempts: 3,
        maxAttempts: 3,
        lockedBy: "dead",
        heartbeatAt: new Date(Date.now() - 120_000),
      },
    });
    const runner = new JobRunner({ pollMs: 20, staleMs: 30_000, kinds: ["import"] });
    await runner.start();
    await runner.stop();
    expect((await db.job.findUniqueOrThrow({ where: { id: jobId! } })).status).toBe("FAILED");
    const record = await db.dataImport.findUniqueOrThrow({ where: { id: importId } });
    expect(record.status).toBe("FAILED");
    // PostgreSQL wrote none of it (one transaction): the message must not say that what was written is kept.
    const reason = getSql().dialect === "postgresql" ? "interruptedNothingWritten" : "interrupted";
    expect(JSON.parse(record.message!)).toEqual({ reason, params: {} });
    expect(existsSync(importFile(jobId!))).toBe(false);
  });
});

describe("an import left running by an earlier version (no job)", () => {
  it("is marked failed at start-up", async () => {
    const orphan = await db.dataImport.create({ data: { kind: "ROSTER", fileName: "old.csv", status: "RUNNING" } });
    expect(await failOrphanImports()).toBe(1);
    const record = await db.dataImport.findUniqueOrThrow({ where: { id: orphan.id } });
    expect(record.status).toBe("FAILED");
    expect(JSON.parse(record.message!)).toEqual({ reason: "interrupted", params: {} });
  });
});
