import { describe, expect, it } from "vitest";
import { IMPORT_LIMITS, inflateBudget, toMb } from "./import-limits";
import { readTableFile } from "./read-table-file.server";
import { ImportFileError } from "./table-file.server";
import { makeXlsx, makeXlsxBomb } from "../../tests/helpers/zip";

// Each limit of IMPORT_LIMITS refuses a CSV as it streams, with its own
// reason and the row and column where it was crossed.

const columns = { required: ["code", "name"], optional: ["note"] };

async function refusal(csv: string | Uint8Array, limits = IMPORT_LIMITS) {
  const bytes = typeof csv === "string" ? Buffer.from(csv, "utf8") : csv;
  const error = await readTableFile("t.csv", bytes, columns, limits).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ImportFileError);
  const { reason, params } = error as ImportFileError;
  return { reason, params };
}

describe("CSV limits", () => {
  it("reads a file inside every limit, trailing empty cells and all", async () => {
    const file = await readTableFile(
      "t.csv",
      Buffer.from(`code,name,note${",".repeat(100)}\nA1,${"x".repeat(2000)},\n`),
      columns,
    );
    expect(file.rows).toEqual([{ row: 2, cells: { code: "A1", name: "x".repeat(2000), note: "" } }]);
  });

  it("refuses a row with more columns than the limit, naming the row", async () => {
    const wide = Array.from({ length: 65 }, (_, i) => `v${i}`).join(",");
    expect(await refusal(`code,name\nA1,B\n${wide}\n`)).toEqual({
      reason: "tooManyColumns",
      params: { row: 3, max: 64 },
    });
  });

  it("refuses a line of a million commas before the parser builds the record", async () => {
    expect(await refusal(`code,name\nA1,${",".repeat(1_000_000)}x\n`)).toEqual({
      reason: "tooManyColumns",
      params: { row: 2, max: 64 },
    });
  });

  it("refuses a cell longer than the limit, naming its row and column", async () => {
    expect(await refusal(`code,name\nA1,B\nA2,${"é".repeat(2001)}\n`)).toEqual({
      reason: "cellTooLong",
      params: { row: 3, column: 2, max: 2000 },
    });
  });

  it("refuses an unclosed quote as a cell too long, at the line where it opened", async () => {
    const rest = Array.from({ length: 50_000 }, (_, i) => `A${i},Name ${i}`).join("\n");
    expect(await refusal(`code,name\nA1,B\nA2,"Nguyễn\n${rest}\n`)).toEqual({
      reason: "cellTooLong",
      params: { row: 3, column: 2, max: 2000 },
    });
    // A short tail is still a cell too long once it passes the limit…
    expect((await refusal(`code,name\nA1,"${"x".repeat(2500)}\n`)).reason).toBe("cellTooLong");
    // …and a plain malformed file below it.
    expect((await refusal(`code,name\nA1,"abc\n`)).reason).toBe("csvMalformed");
  });

  it("refuses more data rows than the limit", async () => {
    const limits = { ...IMPORT_LIMITS, rows: 3 };
    expect(await readTableFile("t.csv", Buffer.from("code,name\n1,a\n2,b\n3,c\n"), columns, limits)).toHaveProperty(
      "rows.length",
      3,
    );
    expect(await refusal("code,name\n1,a\n2,b\n3,c\n4,d\n", limits)).toEqual({
      reason: "tooManyRows",
      params: { max: 3 },
    });
  });

  it("refuses a file larger than the limit before reading it", async () => {
    expect(await refusal("code,name\n1,a\n", { ...IMPORT_LIMITS, fileBytes: 8 })).toEqual({
      reason: "tooLarge",
      params: { mb: 0 },
    });
  });

  it("refuses bytes that are not UTF-8 anywhere in the file, not only at its start", async () => {
    const head = Buffer.from(`code,name\n${"A,b\n".repeat(40_000)}`);
    expect((await refusal(Buffer.concat([head, Buffer.from([0x41, 0x2c, 0xe0, 0x0a])]))).reason).toBe(
      "encodingNotUtf8",
    );
  });
});

describe("the inflate budget", () => {
  it("is 100 times the file, within 16 and 512 MB", () => {
    const MB = 1024 * 1024;
    expect(inflateBudget(10_000)).toBe(16 * MB);
    expect(inflateBudget(1.2 * MB)).toBe(120 * MB);
    expect(inflateBudget(64 * MB)).toBe(512 * MB);
  });
});

describe("XLSX limits", () => {
  const readXlsx = (bytes: Buffer, limits = IMPORT_LIMITS) => readTableFile("t.xlsx", bytes, columns, limits);
  const xlsxRefusal = async (bytes: Buffer, limits = IMPORT_LIMITS) => {
    const error = await readXlsx(bytes, limits).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ImportFileError);
    return { reason: (error as ImportFileError).reason, params: (error as ImportFileError).params };
  };

  it("reads an honest file", async () => {
    expect(
      (
        await readXlsx(
          makeXlsx([
            ["code", "name"],
            ["A1", "Bé"],
          ]),
        )
      ).rows,
    ).toEqual([{ row: 2, cells: { code: "A1", name: "Bé", note: "" } }]);
  });

  it("refuses a bomb whose headers tell its size without inflating it", async () => {
    const bomb = await makeXlsxBomb(["code", "name"], 200, { lie: false });
    const started = Date.now();
    expect(await xlsxRefusal(bomb)).toEqual({
      reason: "inflatesTooLarge",
      params: { mb: toMb(inflateBudget(bomb.length)) },
    });
    expect(Date.now() - started).toBeLessThan(2_000); // a worker's start, and no inflating
  });

  it("refuses a bomb whose headers lie, counting the bytes as they inflate", async () => {
    const bomb = await makeXlsxBomb(["code", "name"], 200, { lie: true });
    expect(bomb.readUInt32LE(22)).toBeLessThan(100_000); // the first local header's claim is small…
    const started = Date.now();
    expect(await xlsxRefusal(bomb)).toEqual({
      reason: "inflatesTooLarge",
      params: { mb: toMb(inflateBudget(bomb.length)) },
    });
    expect(Date.now() - started).toBeLessThan(2_000); // …and the budget, not the 200 MB, bounds the work
  });

  it("refuses a zip with more entries than the limit", async () => {
    const extra = Array.from({ length: 1_000 }, (_, i) => ({ name: `xl/media/image${i}.png`, data: Buffer.from("x") }));
    expect(await xlsxRefusal(makeXlsx([["code", "name"]], extra))).toEqual({
      reason: "tooManyEntries",
      params: { max: 1000 },
    });
  });

  it("refuses a row with too many columns and a cell too long, naming the row", async () => {
    expect(
      await xlsxRefusal(
        makeXlsx([
          ["code", "name"],
          ["A1", ...Array.from({ length: 64 }, () => "v")],
        ]),
      ),
    ).toEqual({
      reason: "tooManyColumns",
      params: { row: 2, max: 64 },
    });
    expect(
      await xlsxRefusal(
        makeXlsx([
          ["code", "name"],
          ["A1", "b"],
          ["A2", "x".repeat(2001)],
        ]),
      ),
    ).toEqual({
      reason: "cellTooLong",
      params: { row: 3, column: 2, max: 2000 },
    });
  });

  it("refuses a sheet that repeats more text than the limit, however small the file", async () => {
    const rows = [["code", "name"], ...Array.from({ length: 100 }, (_, i) => [`A${i}`, "x".repeat(1_000)])];
    expect(await xlsxRefusal(makeXlsx(rows), { ...IMPORT_LIMITS, textChars: 50_000 })).toEqual({
      reason: "inflatesTooLarge",
      params: { mb: 0 },
    });
  });
});
