// Properties of the parsers that take input from outside (issue 9): whatever
// arrives, each answers with a value or its own refusal, never a crash, and
// what it accepts means what it says.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkWebVtt } from "~/catalog/captions";
import { isoOfDay, parseIsoDay } from "~/coverage/dates";
import { matchProvince, provinceKey, provinceRows } from "~/coverage/provinces";
import { ImportFileError, parseTableFile, type TableColumns, type TableRow } from "~/coverage/table-file.server";
import {
  coveredSeconds,
  isSortedAndDisjoint,
  mergeIntervals,
  subtractIntervals,
  type Interval,
} from "~/learning/intervals";
import { parseRange } from "~/media/serve.server";
import { parseContentRange } from "~/media/upload.server";

const digits = fc.stringMatching(/^\d{0,22}$/);

describe("HTTP Range (media)", () => {
  it("answers a range inside the file, or invalid, or absent — for any header", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.tuple(digits, digits).map(([a, b]) => `bytes=${a}-${b}`),
        ),
        fc.integer({ min: 1, max: 2 ** 40 }),
        (header, size) => {
          const range = parseRange(header, size);
          if (range === null || range === "invalid") return;
          expect(Number.isSafeInteger(range.start) && Number.isSafeInteger(range.end)).toBe(true);
          expect(0 <= range.start && range.start <= range.end && range.end < size).toBe(true);
        },
      ),
    );
  });

  it("reads back the range it was given", () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 1, max: 2 ** 40 })
          .chain((size) => fc.tuple(fc.constant(size), fc.nat({ max: size - 1 }), fc.nat({ max: size - 1 }))),
        ([size, a, b]) => {
          const [start, end] = a <= b ? [a, b] : [b, a];
          expect(parseRange(`bytes=${start}-${end}`, size)).toEqual({ start, end });
        },
      ),
    );
  });
});

describe("Content-Range (upload chunks)", () => {
  it("gives a chunk inside its total, a query, or null — for any header", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.tuple(digits, digits, digits).map(([a, b, c]) => `bytes ${a}-${b}/${c}`),
        ),
        fc.nat({ max: 2 ** 32 }),
        (header, base) => {
          const range = parseContentRange(header, base);
          if (range === null || "query" in range) return;
          expect(base <= range.first && range.first <= range.last && range.last < range.total).toBe(true);
        },
      ),
    );
  });

  it("reads back the chunk it was given, shifted by the resume base", () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 1, max: 2 ** 40 })
          .chain((total) => fc.tuple(fc.constant(total), fc.nat({ max: total - 1 }), fc.nat({ max: total - 1 }))),
        fc.nat({ max: 2 ** 30 }),
        ([total, a, b], base) => {
          const [first, last] = a <= b ? [a, b] : [b, a];
          expect(parseContentRange(`bytes ${first}-${last}/${total}`, base)).toEqual({
            first: base + first,
            last: base + last,
            total: base + total,
          });
        },
      ),
    );
  });
});

describe("dates (imports, as-of reports)", () => {
  it("accepts exactly the real calendar dates (1900–2199), and round-trips them", () => {
    const day = fc.integer({ min: -25_567, max: 84_005 }); // 1900-01-01 … 2199-12-31
    fc.assert(
      fc.property(day, (d) => {
        expect(parseIsoDay(isoOfDay(d))).toBe(d);
      }),
    );
    fc.assert(
      fc.property(fc.string(), (text) => {
        const d = parseIsoDay(text);
        if (d !== null) expect(isoOfDay(d)).toBe(text);
      }),
    );
  });
});

describe("province names (rosters)", () => {
  it("finds every official name however it is written, and never throws on anything else", () => {
    const names = provinceRows().flatMap((r) => [r.nameVi, r.nameEn]);
    const spelling = fc
      .tuple(
        fc.constantFrom(...names),
        fc.constantFrom("", "Tỉnh ", "TP. ", "Thành phố "),
        fc.boolean(),
        fc.constantFrom("", " ", "  "),
      )
      .map(
        ([name, prefix, upper, pad]) => `${pad}${prefix}${upper ? name.toUpperCase() : name.normalize("NFD")}${pad}`,
      );
    fc.assert(
      fc.property(spelling, (raw) => {
        expect(matchProvince(raw), raw).not.toBeNull();
      }),
    );
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (raw) => {
        provinceKey(raw);
        matchProvince(raw);
      }),
    );
  });
});

// The parser itself, in this thread: hundreds of runs would spend their time
// starting worker threads (import-worker.test.ts tests those).
async function readTableFile(fileName: string, bytes: Uint8Array, columns: TableColumns) {
  const rows: TableRow[] = [];
  await parseTableFile(fileName, bytes, columns, async (batch) => void rows.push(...batch));
  return { rows };
}

describe("roster and training files", () => {
  const columns = { required: ["personnel_code", "full_name"], optional: ["email"] };
  const cell = fc.string({ maxLength: 30 }).filter((s) => !/[",\r\n]/.test(s));

  it("reads back every row and cell of a CSV it accepts", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(cell, cell, cell), { minLength: 1, maxLength: 30 }), async (rows) => {
        const csv = ["personnel_code,full_name,email", ...rows.map((r) => r.join(","))].join("\n");
        let file;
        try {
          file = await readTableFile("x.csv", Buffer.from(csv, "utf8"), columns);
        } catch (error) {
          expect(error).toBeInstanceOf(ImportFileError); // e.g. every row blank
          return;
        }
        for (const { row, cells } of file.rows) {
          const [code, name, email] = rows[row - 2]!;
          expect(cells).toMatchObject({ personnel_code: code.trim(), full_name: name.trim(), email: email.trim() });
        }
      }),
      { numRuns: 200 },
    );
  });

  it("refuses any bytes it cannot read with its own error, never a crash", async () => {
    const bytes = fc.oneof(
      fc.uint8Array({ maxLength: 400 }),
      fc.uint8Array({ maxLength: 400 }).map((b) => new Uint8Array([0x50, 0x4b, 0x03, 0x04, ...b])), // "a zip"
      fc.string({ maxLength: 400 }).map((s) => Buffer.from(`personnel_code,full_name\n${s}`, "utf8")),
    );
    await fc.assert(
      fc.asyncProperty(bytes, fc.constantFrom("x.csv", "x.xlsx", "x.xls", "x.txt"), async (content, name) => {
        await readTableFile(name, content, columns).catch((error: unknown) =>
          expect(error).toBeInstanceOf(ImportFileError),
        );
      }),
      { numRuns: 300 },
    );
  });
});

describe("captions (WebVTT)", () => {
  it("accepts the cues it is given and never throws on anything else", () => {
    const cue = fc.tuple(
      fc.nat({ max: 3_000_000 }),
      fc.integer({ min: 1, max: 60_000 }),
      fc.stringMatching(/^[a-zA-ZÀ-ỹ ,.!?]{1,40}$/),
    );
    const clock = (ms: number) =>
      `${String(Math.floor(ms / 3_600_000)).padStart(2, "0")}:${String(Math.floor(ms / 60_000) % 60).padStart(2, "0")}:${String(Math.floor(ms / 1000) % 60).padStart(2, "0")}.${String(ms % 1000).padStart(3, "0")}`;
    fc.assert(
      fc.property(fc.array(cue, { minLength: 1, maxLength: 20 }), (cues) => {
        const sorted = [...cues].sort((a, b) => a[0] - b[0]);
        const text = `WEBVTT\n\n${sorted.map(([start, length, words]) => `${clock(start)} --> ${clock(start + length)}\n${words.trim() || "x"}`).join("\n\n")}\n`;
        expect(checkWebVtt(text)).toEqual({ ok: true, cueCount: cues.length });
      }),
    );
    fc.assert(fc.property(fc.string({ maxLength: 500 }), (text) => void checkWebVtt(text)));
  });
});

describe("watched ranges (progress reports)", () => {
  const ranges = fc.array(
    fc
      .tuple(fc.double({ min: 0, max: 1000, noNaN: true }), fc.double({ min: 0, max: 1000, noNaN: true }))
      .map(([a, b]): Interval => (a <= b ? [a, b] : [b, a])),
    { maxLength: 20 },
  );

  it("merges into sorted, disjoint ranges covering the same seconds, idempotently", () => {
    fc.assert(
      fc.property(ranges, (list) => {
        const merged = mergeIntervals(list);
        expect(isSortedAndDisjoint(merged)).toBe(true);
        expect(mergeIntervals(merged)).toEqual(merged);
        expect(coveredSeconds(merged)).toBeLessThanOrEqual(list.reduce((sum, [s, e]) => sum + (e - s), 0) + 1e-9);
      }),
    );
  });

  it("subtracts exactly: what is left plus what overlapped is what there was", () => {
    fc.assert(
      fc.property(ranges, ranges, (a, b) => {
        const left = subtractIntervals(a, b);
        expect(isSortedAndDisjoint(left)).toBe(true);
        const overlap = coveredSeconds(a) + coveredSeconds(b) - coveredSeconds([...a, ...b]);
        expect(coveredSeconds(left)).toBeCloseTo(coveredSeconds(a) - overlap, 6);
      }),
    );
  });
});
