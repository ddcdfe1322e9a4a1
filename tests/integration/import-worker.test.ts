import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import path from "node:path";
import { monitorEventLoopDelay, performance } from "node:perf_hooks";
import { afterAll, describe, expect, it } from "vitest";
import { IMPORT_LIMITS } from "~/coverage/import-limits";
import { readTableFile, readTableFileIn } from "~/coverage/read-table-file.server";
import { ImportFileError } from "~/coverage/table-file.server";
import { builtWorkerPath } from "~/utils/workers.server";
import { makeXlsx } from "../helpers/zip";

// The import file is parsed in a worker thread: the server's own thread stays
// free for other requests, and a file built to exhaust memory exhausts the
// worker's bounded heap instead. In production the worker runs the script
// `npm run build` compiled; that script is built and run here too.

const columns = { required: ["code", "name"], optional: ["note"] };
// Inside the project, as build/workers is: the script finds its packages in node_modules.
mkdirSync("build", { recursive: true });
const scratch = mkdtempSync(path.resolve("build", "test-workers-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("the production build's worker", () => {
  it("is compiled by scripts/build-workers.ts and reads CSV and XLSX", { timeout: 60_000 }, async () => {
    execFileSync(process.execPath, ["--import", "tsx", "scripts/build-workers.ts", scratch], { stdio: "pipe" });
    const script = builtWorkerPath(scratch, "coverage/table-file-worker");
    const request = { fileName: "t.csv", source: Buffer.from("code;name\nA1;Bé\n"), columns, limits: IMPORT_LIMITS };
    expect(await readTableFileIn(script, request)).toEqual({
      rows: [{ row: 2, cells: { code: "A1", name: "Bé", note: "" } }],
    });
    const book = makeXlsx([
      ["code", "name"],
      ["A1", "Bé"],
    ]);
    expect((await readTableFileIn(script, { ...request, fileName: "t.xlsx", source: book })).rows).toHaveLength(1);
    const refused = await readTableFileIn(script, { ...request, source: Buffer.from("code,name\n,\n") }).catch(
      (e: unknown) => e,
    );
    expect(refused).toBeInstanceOf(ImportFileError);
    expect(refused).toMatchObject({ reason: "noRows" });
  });
});

describe("a worker out of memory", () => {
  it("refuses the file as too complex and leaves the server running", { timeout: 60_000 }, async () => {
    // A million distinct shared strings: small once zipped, far more than a 16 MB heap holds.
    const strings = Array.from({ length: 1_000_000 }, (_, i) => `<si><t>s${i}</t></si>`).join("");
    const book = makeXlsx(
      [["code", "name"]],
      [
        {
          name: "xl/sharedStrings.xml",
          data: Buffer.from(
            `<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">${strings}</sst>`,
          ),
        },
      ],
    );
    const limits = { ...IMPORT_LIMITS, parserHeapMb: 16, inflatedBytesMin: 512 * 1024 * 1024 };
    const error = await readTableFile("t.xlsx", book, columns, limits).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImportFileError);
    expect((error as ImportFileError).reason).toBe("tooComplex");
    // …and the next file reads as usual.
    expect(
      (
        await readTableFile(
          "t.xlsx",
          makeXlsx([
            ["code", "name"],
            ["A1", "B"],
          ]),
          columns,
        )
      ).rows,
    ).toHaveLength(1);
  });
});

describe("a 50 MB file", () => {
  it("never holds the event loop for 100 ms while it is parsed", { timeout: 120_000 }, async () => {
    const note = "ghi chú ".repeat(60);
    const lines = ["code,name,note"];
    for (let i = 0; lines.length < 110_000; i++) lines.push(`P${i},Nguyễn Văn ${i},${note}`);
    const csv = Buffer.from(lines.join("\n"));
    expect(csv.length).toBeGreaterThan(50 * 1024 * 1024);
    const delay = monitorEventLoopDelay({ resolution: 10 });
    delay.enable();
    const before = performance.eventLoopUtilization();
    const file = await readTableFile("big.csv", csv, columns);
    const busy = performance.eventLoopUtilization(before).utilization;
    delay.disable();
    expect(file.rows).toHaveLength(109_999);
    expect(delay.percentile(99) / 1e6).toBeLessThan(100);
    // The parsing itself is not on this thread: it is busy only taking rows over.
    expect(busy).toBeLessThan(0.5);
  });
});
