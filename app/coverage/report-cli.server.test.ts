import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { seedReferenceData } from "~/setup/seed.server";
import { CLI_ACTOR } from "~/audit/audit.server";
import { db } from "~/utils/db.server";
import { importRosterCsv, importTrainingCsv, ROSTER_HEAD } from "../../tests/helpers/coverage";
import { createPublishedCourse } from "../../tests/helpers/fixtures";
import { confirmRosterMatch } from "./link.server";
import { parseEvidence } from "./provenance";
import { SYSTEM_ACTOR } from "./scope.server";
import { voidTrainingRecord } from "./training.server";
import { runReportCli } from "./report-cli.server";
import { closeSql } from "~/db/sql.server";

// The CLI closes the database connections when it ends, as a process would;
// the next call opens them again.
vi.mock("./cli.server", async (importOriginal) => ({
  ...(await importOriginal<typeof import("./cli.server")>()),
  closeCli: async () => {},
}));

beforeAll(async () => {
  await seedReferenceData();
  await importRosterCsv(`${ROSTER_HEAD}
P1,Một,,Bộ Tư pháp,Hà Nội,HR_WORK;SOCIOPOL_KEY,,,
P2,Hai,,Bộ Ngoại giao,Bình Dương,HR_WORK,,,
P3,Ba,,Bộ Ngoại giao,TP. Hồ Chí Minh,SOCIOPOL_KEY,,,
`);
  await importTrainingCsv(`personnel_code,course_code,completed_on,mode
P1,a,2024-01-01,in_person
P3,b,2025-06-01,online
`);
});
afterAll(closeSql);

async function run(args: string[]) {
  let out = "";
  const code = await runReportCli(args, (text) => (out += text));
  return { code, out };
}

describe("npm run report -- coverage", () => {
  it("prints JSON rows of one group in one unit", async () => {
    const { code, out } = await run(["coverage", "--as-of", "2024-12-31", "--by", "province", "--format", "json"]);
    expect(code).toBe(0);
    const rows = JSON.parse(out) as Record<string, unknown>[];
    expect(rows.map((r) => [r.group, r.province, r.headcount, r.trained, r.percent, r.target])).toEqual([
      ["HR_WORK", "Hà Nội", 1, 1, 100, 100],
      ["HR_WORK", "Hồ Chí Minh", 1, 0, 0, 100],
      ["SOCIOPOL_KEY", "Hà Nội", 1, 1, 100, 70],
      ["SOCIOPOL_KEY", "Hồ Chí Minh", 1, 0, 0, 70],
    ]);
  });

  it("counts a person in two groups once in each, by group and by agency", async () => {
    const byGroup = JSON.parse((await run(["coverage", "--as-of", "2025-12-31", "--by", "group"])).out) as Record<
      string,
      unknown
    >[];
    expect(byGroup.map((r) => [r.group, r.headcount, r.trained])).toEqual([
      ["HR_WORK", 2, 1],
      ["INFO_MGMT", 0, 0],
      ["PRESS_EXTERNAL", 0, 0],
      ["SOCIOPOL_KEY", 2, 2],
    ]);
    const csv = (await run(["coverage", "--as-of", "2025-12-31", "--by", "agency", "--format", "csv"])).out
      .trim()
      .split(/\r?\n/);
    expect(csv[0]).toBe("group,agency,agency_code,headcount,trained,percent,target,expected,gap,status");
    expect(csv).toContain("SOCIOPOL_KEY,Bộ Ngoại giao,MOFA,1,1,100,70,35,0,met");
  });

  it("refuses bad arguments", async () => {
    const error = vi.spyOn(console, "error").mockImplementation(() => {});
    expect((await run(["coverage", "--as-of", "31/12/2025"])).code).toBe(1);
    // The same as-of rule as the pages: no impossible, future or pre-scheme date is read as another day.
    for (const asOf of ["2024-02-30", "2999-01-01", "2022-12-31"])
      expect((await run(["coverage", "--as-of", asOf])).code).toBe(1);
    expect(error.mock.calls.map((c) => String(c[0])).join("\n")).toMatch(
      /real date[\s\S]*in the future[\s\S]*before 2023-01-01/,
    );
    expect((await run(["coverage", "--by", "ward"])).code).toBe(1);
    expect((await run(["nonsense"])).code).toBe(1);
    error.mockRestore();
  });

  it("verifies the summary table against the raw rows", async () => {
    const error = vi.spyOn(console, "error").mockImplementation(() => {});
    expect((await run(["verify", "--as-of", "2026-01-31"])).code).toBe(0);
    expect(error.mock.calls.at(-1)?.[0]).toMatch(/^OK: /);
    error.mockRestore();
  });
});

describe("npm run report -- verify / repair: completions without a training record", () => {
  it("finds them (exit 1), creates them once, dated the completion's day in Vietnam, and never undoes a void", async () => {
    const error = vi.spyOn(console, "error").mockImplementation(() => {});
    await importRosterCsv(`${ROSTER_HEAD}\nP4,Bốn,bon@example.vn,Bộ Tư pháp,Hà Nội,HR_WORK,,,\n`);
    const user = await db.user.create({
      data: { email: "bon@example.vn", name: "Bốn", passwordHash: "x", emailVerifiedAt: new Date() },
    });
    const person = await db.rosterPerson.findUniqueOrThrow({ where: { personnelCode: "P4" } });
    expect(await confirmRosterMatch(user.id, person.id)).toBe("linked");
    // What a crash between the two writes used to leave: a certificate without a record.
    const [first, second] = [await createPublishedCourse(), await createPublishedCourse()];
    await db.courseCompletion.create({
      data: {
        userId: user.id,
        courseId: first.id,
        completedAt: new Date("2025-02-28T18:00:00Z"),
        certificateCode: "CLI-1",
      },
    });
    await db.courseCompletion.create({
      data: {
        userId: user.id,
        courseId: second.id,
        completedAt: new Date("2025-03-05T03:00:00Z"),
        certificateCode: "CLI-2",
      },
    });

    expect((await run(["verify", "--as-of", "2026-01-31"])).code).toBe(1);
    expect(error.mock.calls.map((c) => String(c[0])).join("\n")).toMatch(/MISSING: 2 course completion/);

    const repaired = await run(["repair"]);
    expect(repaired.code).toBe(0);
    expect(repaired.out).toMatch(/created 2 training record/);
    const records = await db.trainingRecord.findMany({
      where: { personId: person.id },
      orderBy: { completedOn: "asc" },
    });
    expect(records.map((r) => [r.courseCode, r.completedOn.toISOString().slice(0, 10), r.source])).toEqual([
      [first.code, "2025-03-01", "ONLINE"],
      [second.code, "2025-03-05", "ONLINE"],
    ]);
    expect(parseEvidence(records[0]!.evidence)?.lessons).toHaveLength(2);

    expect(
      await voidTrainingRecord(
        SYSTEM_ACTOR,
        { personId: person.id, recordId: records[0]!.id },
        "Thử nghiệm",
        CLI_ACTOR,
      ),
    ).toBe("voided");
    const again = await run(["repair"]);
    expect(again.out).toMatch(/^nothing to repair/);
    expect(await db.trainingRecord.count({ where: { personId: person.id } })).toBe(2);

    error.mockClear();
    expect((await run(["verify", "--as-of", "2026-01-31"])).code).toBe(0);
    expect(error.mock.calls.map((c) => String(c[0])).join("\n")).toMatch(/OK: every course completion/);
    error.mockRestore();
  });
});
