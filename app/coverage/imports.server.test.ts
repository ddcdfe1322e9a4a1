import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSession, generateSessionToken, SESSION_COOKIE } from "~/auth/session.server";
import { seedReferenceData } from "~/setup/seed.server";
import * as exporter from "~/routes/coverage.export";
import * as importResult from "~/routes/coverage.imports.$importId";
import { db } from "~/utils/db.server";
import { createCoordinator, importNowAs, ROSTER_HEAD } from "../../tests/helpers/coverage";
import {
  keptRejects,
  nextSliceSize,
  REJECT_PAGE_SIZE,
  runImport,
  type SlicePace,
  workStretchMs,
  writeInSlices,
} from "./imports.server";
import { rosterImporter } from "./roster-import.server";
import { SYSTEM_ACTOR } from "./scope.server";
import { closeSql, getSql } from "~/db/sql.server";
import Database from "better-sqlite3";
import { vi } from "vitest";
import { RowStage } from "./row-stage.server";

beforeAll(seedReferenceData);
afterAll(closeSql);

// Every row names a province that does not exist: one reject per row.
const badRoster = (rows: number, prefix: string) =>
  `${ROSTER_HEAD}\n${Array.from({ length: rows }, (_, i) => `${prefix}-${i},Người ${i},,Bộ Tư pháp,Atlantis,HR_WORK,,,`).join("\n")}\n`;

async function pages(importId: string) {
  return db.importRejectPage.findMany({
    where: { importId },
    orderBy: { page: "asc" },
    select: { page: true, count: true, rejects: true },
  });
}

describe("reject pages", () => {
  let cookie = "";
  let importId = "";

  beforeAll(async () => {
    const national = await createCoordinator("rejects.pages@example.vn");
    const token = generateSessionToken();
    await createSession(token, national.user.id);
    cookie = `${SESSION_COOKIE}=${token}`;
    const outcome = await importNowAs(national.actor, national.user.id, "ROSTER", badRoster(1_200, "RP"));
    importId = outcome.importId;
    expect(outcome.rejected).toBe(1_200);
  });

  it("stores 1,200 rejects as three pages of at most 500, and counts them by kind", async () => {
    const stored = await pages(importId);
    expect(stored.map((p) => [p.page, p.count])).toEqual([
      [1, 500],
      [2, 500],
      [3, 200],
    ]);
    for (const page of stored) expect(JSON.parse(page.rejects)).toHaveLength(page.count);
    expect(JSON.parse(stored[2]!.rejects)[0]).toMatchObject({
      row: 1_002,
      field: "province",
      reason: "unknownProvince",
      value: "Atlantis",
    });
    const record = await db.dataImport.findUniqueOrThrow({ where: { id: importId } });
    expect(record.rejectCount).toBe(1_200);
    expect(JSON.parse(record.rejectProblems)).toEqual({ unknownProvince: 1_200 });
  });

  it("counts every reject past the kept maximum but keeps only that many", async () => {
    const record = await db.dataImport.create({ data: { kind: "ROSTER", fileName: "many.csv", status: "RUNNING" } });
    const outcome = await runImport(rosterImporter, {
      importId: record.id,
      fileName: "many.csv",
      source: Buffer.from(badRoster(1_300, "RK")),
      strict: false,
      actor: SYSTEM_ACTOR,
      today: 20_000,
      rejectsKept: 700,
    });
    expect(outcome).toMatchObject({ rejected: 1_300, rejectCount: 1_300, rejectProblems: { unknownProvince: 1_300 } });
    expect((await pages(record.id)).map((p) => p.count)).toEqual([500, 200]);
    expect(await keptRejects(record.id)).toEqual({ pages: 2, rejects: 700 });
    expect(await db.dataImport.findUniqueOrThrow({ where: { id: record.id } })).toMatchObject({
      rejectCount: 1_300,
      rejectedRows: 1_300,
    });
    // Deleting the import deletes its pages.
    await db.dataImport.delete({ where: { id: record.id } });
    expect(await db.importRejectPage.count({ where: { importId: record.id } })).toBe(0);
  });

  it("starts the pages again when an interrupted import is resumed", async () => {
    const record = await db.dataImport.create({ data: { kind: "ROSTER", fileName: "again.csv", status: "RUNNING" } });
    const run = (rows: number) =>
      runImport(rosterImporter, {
        importId: record.id,
        fileName: "again.csv",
        source: Buffer.from(badRoster(rows, "RA")),
        strict: false,
        actor: SYSTEM_ACTOR,
        today: 20_000,
      });
    expect((await run(600)).status).toBe("DONE");
    expect((await pages(record.id)).map((p) => p.count)).toEqual([500, 100]);
    expect(await run(300)).toMatchObject({ status: "DONE", rejectCount: 300 });
    expect((await pages(record.id)).map((p) => p.count)).toEqual([300]);
  });

  it("shows the counts and one page at a time on the import page", async () => {
    const load = async (query: string) =>
      (await importResult.loader({
        request: new Request(`http://localhost/coverage/imports/${importId}${query}`, { headers: { Cookie: cookie } }),
        params: { importId },
        context: {},
      })) as Awaited<ReturnType<typeof importResult.loader>>;
    const first = await load("");
    expect(first).toMatchObject({
      rejectCount: 1_200,
      problems: [["unknownProvince", 1_200]],
      kept: { pages: 3, rejects: 1_200 },
      page: 1,
    });
    expect(first.rejects).toHaveLength(REJECT_PAGE_SIZE);
    expect(first.rejects[0]!.row).toBe(2);
    const third = await load("?page=3");
    expect(third.rejects.map((r) => r.row)).toEqual(Array.from({ length: 200 }, (_, i) => 1_002 + i));
    expect((await load("?page=9")).rejects).toEqual([]);
    expect((await load("?page=nonsense")).page).toBe(1);
  });

  it("exports every kept reject, streamed from the pages", async () => {
    const response = (await exporter.loader({
      request: new Request(`http://localhost/coverage/export?table=rejects&format=csv&import=${importId}`, {
        headers: { Cookie: cookie },
      }),
      params: {},
      context: {},
    })) as Response;
    expect(response.headers.get("Content-Type")).toContain("text/csv");
    const lines = (await response.text()).trim().split("\r\n");
    expect(lines).toHaveLength(1 + 1_200);
    expect(lines[1]).toMatch(/^2,province,Atlantis,/);
    expect(lines[1_200]).toMatch(/^1201,province,Atlantis,/);

    const xlsx = (await exporter.loader({
      request: new Request(`http://localhost/coverage/export?table=rejects&format=xlsx&import=${importId}`, {
        headers: { Cookie: cookie },
      }),
      params: {},
      context: {},
    })) as Response;
    const ExcelJS = (await import("exceljs")).default;
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await xlsx.arrayBuffer());
    expect(workbook.worksheets[0]!.rowCount).toBe(1 + 1_200);
  });
});

describe("write slices", () => {
  const options = { targetMs: 50, first: 250, max: 20_000 };
  it("grows at most twofold, shrinks toward the target, and stays within bounds", () => {
    expect(nextSliceSize(250, 5, options)).toBe(500);
    expect(nextSliceSize(1_000, 100, options)).toBe(500);
    expect(nextSliceSize(16_000, 10, options)).toBe(20_000);
    expect(nextSliceSize(100, 10_000, options)).toBe(25);
    expect(nextSliceSize(400, 0, options)).toBe(800);
  });

  it("works 25 ms at a stretch while requests come, longer the longer none has, a second at most", () => {
    expect(workStretchMs(0)).toBe(25);
    // Asked something every 100 ms: no longer than today.
    expect(workStretchMs(100)).toBe(25);
    expect(workStretchMs(400)).toBe(100);
    expect(workStretchMs(2_000)).toBe(500);
    expect(workStretchMs(4_000)).toBe(1_000);
    expect(workStretchMs(60_000)).toBe(1_000);
  });

  it("sizes a slice from the last one's pace toward the current stretch, up or down", () => {
    // 20,000 rows took a second; a request came, the stretch is 25 ms again: 500 rows.
    expect(nextSliceSize(20_000, 1_000, { ...options, max: 50_000, targetMs: workStretchMs(0) })).toBe(500);
    // 500 rows took 25 ms; quiet for 4 s: the slice doubles, no more.
    expect(nextSliceSize(500, 25, { ...options, max: 50_000, targetMs: workStretchMs(4_000) })).toBe(1_000);
  });

  it("with more rows to come, writes whole slices only and gives the rest back to go first next time", async () => {
    // A pace that holds the slice at 300 rows: the last 300 took the target's time.
    const sliceOf300 = { targetMs: 1_000, first: 300, max: 300 };
    const written: number[][] = [];
    const write = async (part: number[]) => void written.push(part);
    const pace: SlicePace = { last: null };
    const rows = (from: number, count: number) => Array.from({ length: count }, (_, i) => from + i);
    // 700 rows: two slices, 100 carried.
    let carried = await writeInSlices(rows(0, 700), sliceOf300, write, pace, true);
    expect(carried).toEqual(rows(600, 100));
    // The carried 100 and 250 more: one slice of 300, 50 carried.
    carried = await writeInSlices([...carried, ...rows(700, 250)], sliceOf300, write, pace, true);
    expect(carried).toEqual(rows(900, 50));
    // The end: what is left goes, short or not.
    expect(await writeInSlices(carried, sliceOf300, write, pace)).toEqual([]);
    expect(written.map((part) => part.length)).toEqual([300, 300, 300, 50]);
    expect(written.flat()).toEqual(rows(0, 950));
  });
});

describe("a SQLite import whose checked rows find no room on disk", () => {
  it("is refused with its own message, having written nothing and kept no reject", async () => {
    // What SQLite throws when a database cannot grow: a temporary one held to its first pages.
    const full = new Database("");
    full.pragma("max_page_count = 2");
    full.exec("CREATE TABLE t (v BLOB)");
    let noRoom: unknown = null;
    try {
      full.prepare("INSERT INTO t VALUES (?)").run(Buffer.alloc(64 * 1024));
    } catch (error) {
      noRoom = error;
    } finally {
      full.close();
    }
    expect(noRoom).toBeInstanceOf(Database.SqliteError);
    expect((noRoom as InstanceType<typeof Database.SqliteError>).code).toBe("SQLITE_FULL");
    if (getSql().dialect !== "sqlite") return; // PostgreSQL stages nothing: it writes as it checks.

    // The disk is full when the first checked rows are staged (a bad row among them, its reject already stored).
    const real = RowStage.prototype.add;
    let calls = 0;
    const add = vi.spyOn(RowStage.prototype, "add").mockImplementation(function (this: RowStage<unknown>, rows) {
      if (++calls === 1) throw noRoom;
      real.call(this, rows);
    });
    try {
      const rows = Array.from({ length: 6_000 }, (_, i) => `DF${i},Người ${i},,Bộ Tư pháp,Hà Nội,HR_WORK,,,`);
      rows[100] = "DFBAD,Người xấu,,Bộ Tư pháp,Atlantis,HR_WORK,,,";
      const record = await db.dataImport.create({ data: { kind: "ROSTER", fileName: "full.csv", status: "RUNNING" } });
      const outcome = await runImport(rosterImporter, {
        importId: record.id,
        fileName: "full.csv",
        source: Buffer.from(`${ROSTER_HEAD}\n${rows.join("\n")}\n`),
        strict: false,
        actor: SYSTEM_ACTOR,
        today: 20_000,
      });
      expect(calls).toBe(1);
      expect(outcome).toMatchObject({
        status: "FAILED",
        failure: { reason: "noDiskSpace", params: {} },
        rejectCount: 0,
      });
      expect(await db.rosterPerson.count({ where: { personnelCode: { startsWith: "DF" } } })).toBe(0);
      expect(await keptRejects(record.id)).toEqual({ pages: 0, rejects: 0 });
      for (const lang of ["vi", "en"]) {
        const messages = (await import(`../locales/${lang}/coverage.json`)) as { file: Record<string, string> };
        expect(messages.file.noDiskSpace).toBeTruthy();
      }
    } finally {
      add.mockRestore();
    }
  });
});
