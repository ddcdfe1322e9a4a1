import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedReferenceData } from "~/setup/seed.server";
import { db } from "~/utils/db.server";
import { closeSql } from "~/db/sql.server";
import { importRosterCsv, importTrainingCsv, ROSTER_HEAD } from "../../tests/helpers/coverage";
import { allRejects, checkNoNul, progressKey, RejectList, runImport, type Importer, type ImportProgress } from "./imports.server";
import { rosterImporter } from "./roster-import.server";
import { SYSTEM_ACTOR } from "./scope.server";

// The import streams (decision 145): the file comes from the reader a batch
// at a time and is written a slice at a time, so nothing holds the whole
// file; and it is still all or nothing where it was before.

beforeAll(seedReferenceData);
afterAll(closeSql);

const BATCH = 200;
const SLICE = 100;
// A target no slice reaches: every slice is SLICE rows.
const slices = { targetMs: 1e9, first: SLICE, max: SLICE };

const goodRow = (code: string, i: number) => `${code},Người Thứ ${i},,Bộ Tư pháp,${i % 2 ? "Hà Nội" : "Đà Nẵng"},HR_WORK,,,`;
function roster(prefix: string, rows: number, last?: string): string {
  const lines = [ROSTER_HEAD];
  for (let i = 0; i < rows; i++) lines.push(goodRow(`${prefix}${i}`, i));
  if (last !== undefined) lines.push(last);
  return `${lines.join("\n")}\n`;
}

type Event = { step: "check"; rows: number; accepted: number } | { step: "write"; rows: number };

/** The roster importer, with every batch it checks and every slice it writes noted in `events`. */
function watched(events: Event[]): Importer<unknown> {
  const importer = rosterImporter as unknown as Importer<unknown>;
  return {
    ...importer,
    async checker(ctx) {
      const check = await importer.checker(ctx);
      return async (rows, rejects) => {
        const accepted = await check(rows, rejects);
        events.push({ step: "check", rows: rows.length, accepted: accepted.length });
        return accepted;
      };
    },
    writer(ctx) {
      const write = importer.writer(ctx);
      return (rows) => {
        events.push({ step: "write", rows: rows.length });
        return write(rows);
      };
    },
  };
}

async function run(csv: string, strict: boolean, events: Event[], progress: ImportProgress[] = []) {
  const record = await db.dataImport.create({ data: { kind: "ROSTER", fileName: "stream.csv", status: "RUNNING", strict } });
  return runImport(
    watched(events),
    {
    importId: record.id,
    fileName: "stream.csv",
    source: Buffer.from(csv),
    strict,
    actor: SYSTEM_ACTOR,
    today: 20_000,
    batchRows: BATCH,
    slices,
    },
    (p) => progress.push(p),
  );
}

const stored = (prefix: string) => db.rosterPerson.count({ where: { personnelCode: { startsWith: prefix } } });

describe("a large file with a bad row at its very end", () => {
  it("in strict mode, writes nothing and lists the bad row", async () => {
    const events: Event[] = [];
    const outcome = await run(roster("SE", 2_500, `SE-last,Người Cuối,,Bộ Tư pháp,Atlantis,HR_WORK,,,`), true, events);
    expect(outcome).toMatchObject({ status: "FAILED", failure: { reason: "strictRefused", params: { rejected: 1 } }, total: 2_501, accepted: 0, rejected: 1 });
    expect(await allRejects(outcome.importId)).toEqual([{ row: 2_502, field: "province", reason: "unknownProvince", value: "Atlantis" }]);
    expect(await stored("SE")).toBe(0);
    expect(await db.coverageFact.count()).toBe(0);
    // Checked in batches across the whole file; not one slice written.
    expect(events.filter((e) => e.step === "check")).toHaveLength(Math.ceil(2_501 / BATCH));
    expect(events.some((e) => e.step === "write")).toBe(false);
  });

  it("without strict mode, a file refused at its last row (a cell past the limit) writes nothing", async () => {
    const events: Event[] = [];
    const outcome = await run(roster("SR", 2_500, `SR-last,${"x".repeat(2_001)},,Bộ Tư pháp,Hà Nội,HR_WORK,,,`), false, events);
    expect(outcome).toMatchObject({ status: "FAILED", failure: { reason: "cellTooLong", params: { row: 2_502 } }, accepted: 0 });
    expect(await stored("SR")).toBe(0);
    expect(events).toEqual([]);
  });

  it("the same file with the row put right is written whole, in slices", async () => {
    const events: Event[] = [];
    const progress: ImportProgress[] = [];
    const outcome = await run(roster("SE", 2_500, goodRow("SE-last", 2_500)), true, events, progress);
    // The first pass cannot know the file's length; the second one can.
    expect(progress.filter((p) => p.phase === "checking").map(progressKey)).toContain("checkingSoFar");
    expect(progress.filter((p) => p.phase === "writing").every((p) => p.total === 2_501)).toBe(true);
    expect(outcome).toMatchObject({ status: "DONE", total: 2_501, accepted: 2_501, counts: { created: 2_501 } });
    expect(await stored("SE")).toBe(2_501);
    expect(events.filter((e) => e.step === "write").length).toBe(Math.ceil(2_501 / SLICE));
  });
});

describe("memory bounded by a batch and a slice", () => {
  it("never holds more than a batch and a slice of rows, and writes while the file is still being read", async () => {
    const events: Event[] = [];
    const outcome = await run(roster("MB", 3_000), false, events);
    expect(outcome).toMatchObject({ status: "DONE", accepted: 3_000, counts: { created: 3_000 } });
    expect(await stored("MB")).toBe(3_000);

    let held = 0;
    let most = 0;
    for (const event of events) {
      if (event.step === "check") {
        expect(event.rows).toBeLessThanOrEqual(BATCH);
        held += event.accepted;
      } else {
        expect(event.rows).toBeLessThanOrEqual(SLICE);
        held -= event.rows;
      }
      most = Math.max(most, held);
    }
    expect(held).toBe(0);
    expect(most).toBeLessThanOrEqual(BATCH + SLICE);
    // Streaming, not read then written: the first slice is written before the last batch is checked.
    const firstWrite = events.findIndex((e) => e.step === "write");
    const lastCheck = events.map((e) => e.step).lastIndexOf("check");
    expect(firstWrite).toBeGreaterThan(0);
    expect(firstWrite).toBeLessThan(lastCheck);
  });

  it("still finds a code given twice in batches far apart, and keeps the first row", async () => {
    const events: Event[] = [];
    const outcome = await run(roster("DU", 1_000, goodRow("DU3", 3)), false, events);
    expect(outcome).toMatchObject({ status: "DONE", accepted: 1_000, rejected: 1 });
    expect(await allRejects(outcome.importId)).toEqual([{ row: 1_002, field: "personnel_code", reason: "duplicateCode", value: "DU3", params: { first: 5 } }]);
  });
});

describe("a NUL character in a cell", () => {
  // PostgreSQL text cannot hold U+0000: a file that carries one is refused
  // before anything is written, with the line it is on, on both databases.
  it("refuses a roster file, strict or not, naming the line, and writes nothing", async () => {
    for (const strict of [false, true]) {
      const outcome = await importRosterCsv(`${ROSTER_HEAD}\nNU1,Người Một,,Bộ Tư pháp,Hà Nội,HR_WORK,,,\nNU2,"Người\u0000Hai",,Bộ Tư pháp,Hà Nội,HR_WORK,,,\n`, { strict });
      expect(outcome).toMatchObject({ status: "FAILED", failure: { reason: "nulCharacter", params: { line: 3 } }, accepted: 0 });
    }
    expect(await stored("NU")).toBe(0);
  });

  it("refuses a training file too", async () => {
    const training = await importTrainingCsv(`personnel_code,course_code,completed_on,mode\nNU2,hoi-nghi,2024-01-02,in_person\nNU2,hoi\u0000nghi,2024-01-02,in_person\n`);
    expect(training).toMatchObject({ status: "FAILED", failure: { reason: "nulCharacter", params: { line: 3 } } });
  });

  it("is a reject of the row if a reader ever lets one through", () => {
    const rejects = new RejectList(async () => {});
    expect(checkNoNul({ row: 7, cells: { personnel_code: "A1", full_name: "Người\u0000Một" } }, rejects)).toBe(false);
    expect(checkNoNul({ row: 8, cells: { personnel_code: "A2", full_name: "Người Hai" } }, rejects)).toBe(true);
    expect(rejects.problems).toEqual({ nulCharacter: 1 });
    expect(rejects.has(7)).toBe(true);
  });

  it("has its reasons, and every progress message, in Vietnamese and English", async () => {
    for (const lang of ["vi", "en"]) {
      const messages = (await import(`../locales/${lang}/coverage.json`)) as { file: Record<string, string>; reject: Record<string, string> };
      expect(messages.file.nulCharacter).toMatch(/NUL.*\{\{line\}\}|\{\{line\}\}.*NUL/);
      expect(messages.reject.nulCharacter).toMatch(/NUL/);
      const phases = (messages as unknown as { importResult: { phase: Record<string, string> } }).importResult.phase;
      for (const key of ["reading", "readingSoFar", "checking", "checkingSoFar", "writing", "done"]) expect(phases[key]).toBeTruthy();
    }
  });
});
