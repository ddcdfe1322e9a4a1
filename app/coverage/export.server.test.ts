import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { neutralise, tableToCsv, tableToXlsx, type ExportTable } from "./export.server";

const table: ExportTable = {
  title: "Danh sách: cần/đào tạo?",
  columns: [
    { key: "name", header: "Họ và tên" },
    { key: "count", header: "Số", numeric: true },
  ],
  rows: [
    { name: '=HYPERLINK("http://evil","bấm")', count: 1 },
    { name: "+84 912", count: -3 },
    { name: "-cmd", count: null },
    { name: "@SUM(A1)", count: 0 },
    { name: "\tTab", count: 2 },
    { name: 'Nguyễn Văn A, "Tí"', count: 5 },
  ],
};

describe("neutralise", () => {
  it.each([
    ["=1+1", "'=1+1"],
    ["+1", "'+1"],
    ["-1", "'-1"],
    ["@x", "'@x"],
    ["\r=x", "'\r=x"],
    ["Hà Nội", "Hà Nội"],
    ["a=b", "a=b"],
    ["", ""],
  ])("%j → %j", (input, output) => expect(neutralise(input)).toBe(output));
});

describe("CSV export", () => {
  it("starts with a byte-order mark, quotes properly and neutralises formulas", () => {
    const bytes = tableToCsv(table);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.subarray(3).toString("utf8").split("\r\n");
    expect(lines[0]).toBe("Họ và tên,Số");
    expect(lines[1]).toBe(`"'=HYPERLINK(""http://evil"",""bấm"")",1`);
    expect(lines[2]).toBe("'+84 912,-3");
    expect(lines[3]).toBe("'-cmd,");
    expect(lines[4]).toBe("'@SUM(A1),0");
    expect(lines[5]).toBe("'\tTab,2");
    expect(lines[6]).toBe(`"Nguyễn Văn A, ""Tí""",5`);
  });
});

describe("XLSX export", () => {
  it("writes text as text, numbers as numbers, formulas neutralised", async () => {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await tableToXlsx(table)) as unknown as ExcelJS.Buffer);
    const sheet = workbook.worksheets[0]!;
    expect(sheet.name).toBe("Danh sách  cần đào tạo ");
    expect(sheet.getCell("A1").value).toBe("Họ và tên");
    expect(sheet.getCell("A2").value).toBe(`'=HYPERLINK("http://evil","bấm")`);
    expect(sheet.getCell("A2").formula).toBeUndefined();
    expect(sheet.getCell("B3").value).toBe(-3);
    expect(sheet.getCell("A5").value).toBe("'@SUM(A1)");
    expect(sheet.getCell("B4").value).toBeNull();
  });
});
