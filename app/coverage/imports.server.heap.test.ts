import v8 from "node:v8";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { seedReferenceData } from "~/setup/seed.server";
import { closeSql } from "~/db/sql.server";
import { importRosterCsv, importTrainingCsv, rosterCsv } from "../../tests/helpers/coverage";
import { IMPORT_HEAP_GROWING_PERCENT, servesNoRequests } from "./imports.server";

// While an import runs in the web server, V8 keeps the heap within a quarter
// of what it last kept, and goes back to its own factor when the last import
// ends, however it ends (decision 160, sixth session). Checked here by what
// the process asks V8: the memory it saves is bench/import.ts's figure.

beforeAll(seedReferenceData);
afterAll(closeSql);

const flags = vi.spyOn(v8, "setFlagsFromString");
afterEach(() => flags.mockClear());

const TIGHT = `--heap-growing-percent=${IMPORT_HEAP_GROWING_PERCENT}`;
const DEFAULT = "--heap-growing-percent=0";
const asked = () => flags.mock.calls.map(([flag]) => flag);

describe("the heap's growth while an import runs in the web server", () => {
  it("is held to a quarter for the import, then left to V8 again", async () => {
    const seen: string[][] = [];
    const outcome = await importRosterCsv(rosterCsv("HEAP-A-", 30), { onProgress: () => seen.push(asked()) });
    expect(outcome.status).toBe("DONE");
    // Set before the first row was read, and still set while rows were checked and written.
    expect(seen.length).toBeGreaterThan(0);
    for (const flagsSoFar of seen) expect(flagsSoFar[0]).toBe(TIGHT);
    expect(asked()).toEqual([TIGHT, DEFAULT]);
  });

  it("goes back to V8's own only when the last of two imports at once ends", async () => {
    const outcomes = await Promise.all([
      importRosterCsv(rosterCsv("HEAP-B-", 2_500)),
      importRosterCsv(rosterCsv("HEAP-C-", 40)),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(["DONE", "DONE"]);
    expect(asked()).toEqual([TIGHT, DEFAULT]);
  });

  it("goes back to V8's own after a refused file, a strict refusal and a training import", async () => {
    const refused = await importRosterCsv("full_name,email\nNgười,a@example.vn\n");
    expect(refused.status).toBe("FAILED");
    const strict = await importRosterCsv(rosterCsv("HEAP-D-", 5, "HEAP-D-X,Người X,,Bộ Tư pháp,Atlantis,HR_WORK,,,"), {
      strict: true,
    });
    expect(strict.failure?.reason).toBe("strictRefused");
    await importTrainingCsv("personnel_code,course,completed_on\n");
    expect(asked()).toEqual([TIGHT, DEFAULT, TIGHT, DEFAULT, TIGHT, DEFAULT]);
  });

  it("is left as the command line set it in a process that serves no requests", async () => {
    servesNoRequests();
    const outcome = await importRosterCsv(rosterCsv("HEAP-E-", 10));
    expect(outcome.status).toBe("DONE");
    expect(asked()).toEqual([]);
  });
});
