import { afterEach, describe, expect, it, vi } from "vitest";
import { EXTRA_CELLS, parseTableFile, type TableRow } from "./table-file.server";

// The parser in this thread (read-table-file.server.test.ts runs it in its
// worker, with the limits).

const columns = { required: ["code", "name"], optional: ["note"] };

async function parse(csv: string): Promise<TableRow[]> {
  const rows: TableRow[] = [];
  await parseTableFile("t.csv", Buffer.from(csv, "utf8"), columns, async (batch) => void rows.push(...batch));
  return rows;
}

afterEach(() => vi.restoreAllMocks());

describe("rows of every length", () => {
  it("reads short, long and quoted rows without building an error for any of them", async () => {
    // csv-parse builds an error, stack trace and all, for each record whose
    // length is not the expected one, even when told to accept it: 40 µs a
    // row. expectEveryLength makes every length the expected one.
    const traces = vi.spyOn(Error, "captureStackTrace");
    const lines = ["code,name,note"];
    for (let i = 0; i < 300; i++)
      lines.push(i % 3 === 0 ? `A${i}` : i % 3 === 1 ? `A${i},"Tên ""${i}"", Hà Nội"` : `A${i},B${i},n,extra`);
    const rows = await parse(lines.join("\r\n"));
    expect(traces).not.toHaveBeenCalled();
    expect(rows).toHaveLength(300);
    expect(rows[0]).toEqual({ row: 2, cells: { code: "A0", name: "", note: "" } });
    expect(rows[1]).toEqual({ row: 3, cells: { code: "A1", name: 'Tên "1", Hà Nội', note: "" } });
    expect(rows[2]).toEqual({ row: 4, cells: { code: "A2", name: "B2", note: "n", [EXTRA_CELLS]: "1" } });
    expect(rows[299]!.row).toBe(301);
  });

  it("numbers a row by the line it ends on when a quoted cell spans lines", async () => {
    const rows = await parse('code,name\nA1,"two\nlines"\nA2,B\n');
    expect(rows).toEqual([
      { row: 3, cells: { code: "A1", name: "two\nlines", note: "" } },
      { row: 4, cells: { code: "A2", name: "B", note: "" } },
    ]);
  });
});
