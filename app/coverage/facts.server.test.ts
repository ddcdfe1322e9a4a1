// The summary table must always equal the rule applied to the raw rows. A
// seeded random roster goes through the writes that can change coverage
// (imports, re-imports that move people and change their groups, online
// completions, account links, new rule versions), and after each one the two
// computations are compared on many days, by every breakdown and scope.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedReferenceData } from "~/setup/seed.server";
import { db } from "~/utils/db.server";
import {
  completeOnline,
  createCoordinator,
  importRosterCsv,
  importTrainingCsv,
  ROSTER_HEAD,
} from "../../tests/helpers/coverage";
import { isoOfDay, parseIsoDay } from "./dates";
import { addRuleVersion } from "./groups.server";
import { confirmRosterMatch } from "./link.server";
import { SYSTEM_ACTOR, type Actor } from "./scope.server";
import { closeSql } from "~/db/sql.server";
import { voidTrainingRecord } from "./training.server";
import { verifyCoverage, verifySeries } from "./verify.server";
import { CLI_ACTOR } from "~/audit/audit.server";

function prng(seed: number) {
  return () => {
    seed = (seed * 1664525 + 1013904223) >>> 0;
    return seed / 2 ** 32;
  };
}
const random = prng(20_260_101);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
const between = (from: string, to: string) => {
  const a = parseIsoDay(from)!;
  return isoOfDay(a + Math.floor(random() * (parseIsoDay(to)! - a)));
};

const PROVINCES = ["Hà Nội", "Hà Giang", "Tuyên Quang", "Huế", "Bình Dương", "TP. Hồ Chí Minh", "Quảng Nam"];
const AGENCIES = ["Bộ Tư pháp", "Bộ Ngoại giao", "Báo Nhân Dân", "Sở Tư pháp"];
const GROUPS = ["HR_WORK", "INFO_MGMT", "PRESS_EXTERNAL", "SOCIOPOL_KEY"];
const COURSES = ["iccpr-intro", "cat-basics", "crc-basics", "ws-2024"];

function rosterRow(code: string) {
  const groups = GROUPS.filter(() => random() < 0.4);
  if (groups.length === 0) groups.push(pick(GROUPS));
  const joined = random() < 0.5 ? between("2022-06-01", "2026-01-01") : "";
  const left = random() < 0.25 ? between(joined || "2023-01-01", "2027-01-01") : "";
  const email = random() < 0.3 ? `${code.toLowerCase()}@example.vn` : "";
  return [code, `Người ${code}`, email, pick(AGENCIES), pick(PROVINCES), groups.join(";"), "", joined, left].join(",");
}

const CODES = Array.from({ length: 150 }, (_, i) => `R${String(i).padStart(3, "0")}`);
const DAYS = [
  "2022-12-31",
  "2023-01-01",
  ...Array.from({ length: 10 }, () => between("2023-01-01", "2027-06-01")),
  "2025-01-01",
  "2026-12-31",
].map((iso) => parseIsoDay(iso)!);

let hanoi: Actor;

async function expectSummaryMatches() {
  expect(await verifyCoverage(SYSTEM_ACTOR, DAYS)).toEqual([]);
  for (const group of GROUPS) expect(await verifySeries(SYSTEM_ACTOR, parseIsoDay("2026-08-15")!, group)).toEqual([]);
  expect(await verifySeries(hanoi, parseIsoDay("2025-02-14")!, "HR_WORK")).toEqual([]);
  expect(await verifyCoverage(hanoi, DAYS.slice(0, 6), ["group", "agency"])).toEqual([]);
}

beforeAll(async () => {
  await seedReferenceData();
  hanoi = (await createCoordinator("hn@example.vn", { provinceCode: "cur-ha-noi" })).actor;
});
afterAll(closeSql);

describe("the summary table equals the computation from raw rows", () => {
  it("after a roster and its trainings are imported", async () => {
    await importRosterCsv([ROSTER_HEAD, ...CODES.map(rosterRow)].join("\n"));
    const trainings = CODES.flatMap((code) =>
      Array.from(
        { length: Math.floor(random() * 4) },
        () =>
          `${code},${pick(COURSES)},${between("2022-01-01", "2026-06-01")},${pick(["online", "in_person", "imported"])}`,
      ),
    );
    const outcome = await importTrainingCsv(["personnel_code,course_code,completed_on,mode", ...trainings].join("\n"));
    expect(outcome.counts.created).toBeGreaterThan(100);
    await expectSummaryMatches();
  });

  it("after a re-import that moves people, changes their groups and their dates", async () => {
    const changed = CODES.filter(() => random() < 0.3);
    await importRosterCsv([ROSTER_HEAD, ...changed.map(rosterRow)].join("\n"));
    await expectSummaryMatches();
  });

  it("after new rule versions: a minimum count, required courses, a later scheme start", async () => {
    await addRuleVersion(
      "HR_WORK",
      {
        kind: "MIN_COUNT",
        minCount: 2,
        courseCodes: [],
        schemeStart: parseIsoDay("2023-01-01")!,
        validFrom: parseIsoDay("2024-07-01")!,
      },
      null,
    );
    await addRuleVersion(
      "INFO_MGMT",
      {
        kind: "REQUIRED_COURSES",
        minCount: null,
        courseCodes: ["iccpr-intro", "cat-basics"],
        schemeStart: parseIsoDay("2023-01-01")!,
        validFrom: parseIsoDay("2025-01-01")!,
      },
      null,
    );
    await addRuleVersion(
      "SOCIOPOL_KEY",
      {
        kind: "ANY_TRAINING",
        minCount: null,
        courseCodes: [],
        schemeStart: parseIsoDay("2024-01-01")!,
        validFrom: parseIsoDay("2024-01-01")!,
      },
      null,
    );
    await expectSummaryMatches();
  });

  it("after more trainings, online completions and account links", async () => {
    const more = CODES.filter(() => random() < 0.3).map(
      (code) => `${code},${pick(COURSES)},${between("2023-01-01", "2026-06-01")},in_person`,
    );
    await importTrainingCsv(["personnel_code,course_code,completed_on,mode", ...more].join("\n"));
    const withEmail = await db.rosterPerson.findMany({ where: { email: { not: null }, userId: null }, take: 10 });
    for (const person of withEmail) {
      const user = await db.user.create({
        data: { email: person.email!, name: person.fullName, passwordHash: "x", emailVerifiedAt: new Date() },
      });
      expect(await confirmRosterMatch(user.id, person.id)).toBe("linked");
      await completeOnline(user.id, pick(COURSES), new Date(`${between("2023-01-01", "2026-06-01")}T10:00:00Z`));
    }
    await expectSummaryMatches();
  });

  it("after a re-import of rows the rules already count", async () => {
    await importRosterCsv([ROSTER_HEAD, ...CODES.filter(() => random() < 0.2).map(rosterRow)].join("\n"));
    await expectSummaryMatches();
  });

  it("after records are voided on various days, and new trainings come after the voids", async () => {
    const records = await db.trainingRecord.findMany({ orderBy: { id: "asc" } });
    const chosen = records.filter(() => random() < 0.25);
    for (const record of chosen) {
      const at = new Date(
        `${between(record.completedOn.toISOString().slice(0, 10), "2027-01-01")}T${pick(["01", "12", "20"])}:00:00Z`,
      );
      expect(
        await voidTrainingRecord(
          SYSTEM_ACTOR,
          { personId: record.personId, recordId: record.id },
          "Nhập sai",
          CLI_ACTOR,
          at,
        ),
      ).toBe("voided");
    }
    await expectSummaryMatches();
    const people = await db.rosterPerson.findMany({
      where: { id: { in: chosen.map((r) => r.personId) } },
      select: { personnelCode: true },
    });
    const later = people.map(
      (p) => `${p.personnelCode},${pick(COURSES)},${between("2024-01-01", "2026-06-01")},in_person`,
    );
    await importTrainingCsv(["personnel_code,course_code,completed_on,mode", ...later].join("\n"));
    await expectSummaryMatches();
    expect(await db.coverageFact.count({ where: { segment: { gt: 0 } } })).toBeGreaterThan(0);
  });
});
