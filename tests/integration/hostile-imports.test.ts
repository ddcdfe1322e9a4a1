import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { coverageT } from "~/coverage/i18n.server";
import { importNow } from "~/coverage/import-jobs.server";
import { inflateBudget, toMb } from "~/coverage/import-limits";
import { parseStoredFailure } from "~/coverage/imports.server";
import { SYSTEM_ACTOR } from "~/coverage/scope.server";
import { closeSql } from "~/db/sql.server";
import { seedReferenceData } from "~/setup/seed.server";
import { db } from "~/utils/db.server";
import { ROSTER_HEAD } from "../helpers/coverage";
import { makeXlsx, makeXlsxBomb } from "../helpers/zip";

// Files built to hurt the server, each refused with its own translated
// message naming the limit (and the row where it was crossed), and nothing
// written: no person, no training record, no file left in MEDIA_DIR/imports.

beforeAll(seedReferenceData);
afterAll(closeSql);

const header = ROSTER_HEAD.split(",");
const goodRow = ["H1", "Đặng Thị Hà", "", "Bộ Tư pháp", "Hà Nội", "HR_WORK", "", "", ""];

async function refused(fileName: string, bytes: Uint8Array) {
  const outcome = await importNow("ROSTER", { fileName, bytes, strict: false, actor: SYSTEM_ACTOR, createdById: null });
  expect(outcome.status).toBe("FAILED");
  const record = await db.dataImport.findUniqueOrThrow({ where: { id: outcome.importId } });
  expect(record.status).toBe("FAILED");
  const failure = parseStoredFailure(record.message)!;
  expect(failure).toEqual(outcome.failure);
  // Nothing written, nothing left behind.
  expect(await db.rosterPerson.count()).toBe(0);
  expect(await db.trainingRecord.count()).toBe(0);
  const spool = path.join(process.env.MEDIA_DIR!, "imports");
  expect(existsSync(spool) ? readdirSync(spool) : []).toEqual([]);
  const [vi, en] = await Promise.all([coverageT("vi"), coverageT("en")]);
  return {
    ...failure,
    vi: vi.t(`file.${failure.reason}`, failure.params),
    en: en.t(`file.${failure.reason}`, failure.params),
  };
}

describe("hostile import files", () => {
  it("refuses an honest zip bomb from its headers", async () => {
    const bomb = await makeXlsxBomb(header, 300, { lie: false });
    const started = Date.now();
    const result = await refused("bomb.xlsx", bomb);
    expect(Date.now() - started).toBeLessThan(3_000);
    const mb = toMb(inflateBudget(bomb.length));
    expect(result).toMatchObject({ reason: "inflatesTooLarge", params: { mb } });
    expect(result.vi).toContain(`hơn ${mb} MB`);
    expect(result.en).toContain(`more than ${mb} MB`);
  });

  it("refuses a lying zip bomb as it inflates, keeping the server's memory flat", async () => {
    const bomb = await makeXlsxBomb(header, 300, { lie: true });
    // Both of the sheet's headers claim a kilobyte.
    const sheetAt = bomb.indexOf("xl/worksheets/sheet1.xml");
    expect(bomb.readUInt32LE(sheetAt - 30 + 22)).toBe(1024);
    const rss = process.memoryUsage().rss;
    let peak = rss;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);
    const started = Date.now();
    const result = await refused("bomb.xlsx", bomb);
    clearInterval(sampler);
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(result.reason).toBe("inflatesTooLarge");
    expect(peak - rss).toBeLessThan(150 * 1024 * 1024);
  });

  it("refuses a zip with too many entries", async () => {
    const extra = Array.from({ length: 1_000 }, (_, i) => ({
      name: `xl/media/image${i}.png`,
      data: Buffer.from([i % 256]),
    }));
    const result = await refused("many.xlsx", makeXlsx([header, goodRow], extra));
    expect(result).toMatchObject({ reason: "tooManyEntries", params: { max: 1000 } });
    expect(result.vi).toContain("quá 1000 thành phần");
    expect(result.en).toContain("more than 1000 parts");
  });

  it("refuses a row with too many columns, naming the row", async () => {
    const wide = [...goodRow, ...Array.from({ length: 60 }, (_, i) => `x${i}`)];
    const result = await refused("wide.csv", Buffer.from(`${ROSTER_HEAD}\n${goodRow.join(",")}\n${wide.join(",")}\n`));
    expect(result).toMatchObject({ reason: "tooManyColumns", params: { row: 3, max: 64 } });
    expect(result.vi).toBe("Dòng 3 có quá 64 cột. Không có gì được nhập. Hãy chỉ dùng các cột của tệp mẫu.");
    expect(result.en).toContain("Row 3 has more than 64 columns");
  });

  it("refuses a file with more rows than the limit", { timeout: 120_000 }, async () => {
    const csv = `${ROSTER_HEAD}\n${"x\n".repeat(500_001)}`;
    const result = await refused("long.csv", Buffer.from(csv));
    expect(result).toMatchObject({ reason: "tooManyRows", params: { max: 500_000 } });
    expect(result.en).toContain("more than 500000 rows");
  });

  it("refuses a cell too long, naming its row and column", async () => {
    const row = [...goodRow];
    row[1] = "Nguyễn ".repeat(300);
    const result = await refused("long-cell.xlsx", makeXlsx([header, goodRow, row]));
    expect(result).toMatchObject({ reason: "cellTooLong", params: { row: 3, column: 2, max: 2000 } });
    expect(result.vi).toContain("dòng 3, cột 2");
    expect(result.en).toContain("row 3, column 2 is longer than 2000 characters");
  });

  it("refuses an unclosed quote as a cell too long at the row where it opened", async () => {
    const rows = Array.from({ length: 20_000 }, (_, i) =>
      [`Q${i}`, `Người ${i}`, "", "Bộ Tư pháp", "Hà Nội", "HR_WORK", "", "", ""].join(","),
    );
    const csv = `${ROSTER_HEAD}\n${goodRow.join(",")}\nQ,"Trần Văn B,,Bộ Tư pháp,Hà Nội,HR_WORK,,,\n${rows.join("\n")}\n`;
    const result = await refused("quote.csv", Buffer.from(csv));
    expect(result).toMatchObject({ reason: "cellTooLong", params: { row: 3, column: 2, max: 2000 } });
  });
});
