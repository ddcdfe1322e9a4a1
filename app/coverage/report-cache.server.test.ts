// The dashboard's cache (report-cache.server.ts) and the version under it
// (report-version.server.ts): never stale after a write, whichever instance
// wrote; never shared across scopes. Runs on SQLite, and on PostgreSQL with
// TEST_DATABASE_URL.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedReferenceData } from "~/setup/seed.server";
import { closeSql, createSql, getSql } from "~/db/sql.server";
import { getEnv } from "~/utils/env.server";
import { createCoordinator, importRosterCsv, importTrainingCsv, ROSTER_HEAD } from "../../tests/helpers/coverage";
import { coverageDashboard } from "./dashboard.server";
import { parseIsoDay } from "./dates";
import { lockFactsShared } from "./facts.server";
import { updateGroup } from "./groups.server";
import { reportCache, ReportCache } from "./report-cache.server";
import { coverageChanged, coverageVersion } from "./report-version.server";
import { coverageAsOf } from "./report.server";
import { SYSTEM_ACTOR, type Actor } from "./scope.server";

const DAY = parseIsoDay("2025-06-30")!;

const ROSTER = `${ROSTER_HEAD}
C1,Nguyễn Văn An,,Bộ Tư pháp,Hà Nội,HR_WORK,,,
C2,Trần Thị Bình,,Bộ Tư pháp,Hà Nội,HR_WORK,,,
C3,Lê Văn Cường,,Bộ Tư pháp,Thừa Thiên Huế,HR_WORK,,,
C4,Phạm Thị Dung,,Bộ Tư pháp,Thừa Thiên Huế,HR_WORK,,,
C5,Hoàng Văn Em,,Bộ Tư pháp,Đà Nẵng,HR_WORK,,,
`;

const hrWork = (report: Awaited<ReturnType<typeof coverageDashboard>>) => {
  const row = report.summary.find((r) => r.group.code === "HR_WORK")!;
  return { headcount: row.headcount, trained: row.trained, name: row.group.nameVi };
};

let hanoi: Actor;
let hue: Actor;

beforeAll(async () => {
  await seedReferenceData();
  expect((await importRosterCsv(ROSTER)).status).toBe("DONE");
  hanoi = (await createCoordinator("hn.cache@example.vn", { provinceCode: "cur-ha-noi" })).actor;
  hue = (await createCoordinator("hue.cache@example.vn", { provinceCode: "cur-hue" })).actor;
  reportCache().clear();
});
afterAll(closeSql);

describe("the coverage version", () => {
  it("rises when a transaction that changes coverage commits, and not when it rolls back", async () => {
    const sql = getSql();
    const before = await coverageVersion();
    await sql.transaction(async (tx) => {
      await lockFactsShared(tx);
      // Not yet: the row is raised as the transaction's last statement.
      expect(await coverageVersion(tx)).toBe(before);
    });
    expect(await coverageVersion()).toBe(before + 1);
    await expect(
      sql.transaction(async (tx) => {
        coverageChanged(tx);
        throw new Error("changed my mind");
      }),
    ).rejects.toThrow("changed my mind");
    expect(await coverageVersion()).toBe(before + 1);
    // Outside a transaction there is no commit to raise it with.
    expect(() => coverageChanged(sql)).toThrow(/inside Sql.transaction/);
  });
});

describe("the dashboard's cache", () => {
  it("serves the same report until a write, then the new figures", async () => {
    const first = await coverageDashboard(SYSTEM_ACTOR, DAY, undefined);
    expect(hrWork(first)).toMatchObject({ headcount: 5, trained: 0 });
    // Cached: the very same object.
    expect(await coverageDashboard(SYSTEM_ACTOR, DAY, undefined)).toBe(first);

    expect(
      (await importTrainingCsv("personnel_code,course_code,completed_on,mode\nC1,iccpr-intro,2025-01-10,in_person\n"))
        .status,
    ).toBe("DONE");
    const afterTraining = await coverageDashboard(SYSTEM_ACTOR, DAY, undefined);
    expect(hrWork(afterTraining)).toMatchObject({ headcount: 5, trained: 1 });

    // A group's name and target are in the report too.
    await updateGroup(
      "HR_WORK",
      {
        nameVi: "Cán bộ nhân quyền (mới)",
        nameEn: "HR staff (new)",
        targetPercent: 100,
        deadline: parseIsoDay("2030-12-31")!,
      },
      { id: null, email: "test" },
    );
    expect(hrWork(await coverageDashboard(SYSTEM_ACTOR, DAY, undefined)).name).toBe("Cán bộ nhân quyền (mới)");
  });

  it("sees a write made by another app instance on the same database", async () => {
    const mine = new ReportCache();
    const compute = async () =>
      (await coverageAsOf(SYSTEM_ACTOR, DAY, "group", { groupCode: "HR_WORK" }))[0]!.headcount;
    expect(await mine.get("t", SYSTEM_ACTOR, {}, compute)).toBe(5);
    // The other instance: its own connection, its own process state.
    const other = createSql(getEnv().DATABASE_URL);
    try {
      await other.transaction(async (tx) => {
        await lockFactsShared(tx);
        await tx.run(
          tx.db
            .deleteFrom("GroupMembership")
            .where("personId", "in", tx.db.selectFrom("RosterPerson").select("id").where("personnelCode", "=", "C5")),
        );
      });
    } finally {
      await other.close();
    }
    expect(await mine.get("t", SYSTEM_ACTOR, {}, compute)).toBe(4);
  });

  it("never gives one scope another's entry", async () => {
    const national = hrWork(await coverageDashboard(SYSTEM_ACTOR, DAY, undefined));
    const ofHanoi = hrWork(await coverageDashboard(hanoi, DAY, undefined));
    const ofHue = hrWork(await coverageDashboard(hue, DAY, undefined));
    expect(national.headcount).toBe(4);
    expect(ofHanoi).toMatchObject({ headcount: 2, trained: 1 });
    expect(ofHue).toMatchObject({ headcount: 2, trained: 0 });
    const hanoiProvinces = (await coverageDashboard(hanoi, DAY, undefined)).provinces;
    expect(hanoiProvinces.map((p) => p.nameVi)).toEqual(["Hà Nội"]);
    // Two coordinators of one province share it.
    const another = (await createCoordinator("hn2.cache@example.vn", { provinceCode: "cur-ha-noi" })).actor;
    expect(await coverageDashboard(another, DAY, undefined)).toBe(await coverageDashboard(hanoi, DAY, undefined));
  });

  it("keeps a day and a chart group apart, and no more entries than it may", async () => {
    const cache = new ReportCache(2);
    const days: number[] = [];
    const at = (day: number) => cache.get("t", SYSTEM_ACTOR, { day }, async () => (days.push(day), day));
    expect(await at(1)).toBe(1);
    expect(await at(2)).toBe(2);
    expect(await at(1)).toBe(1); // 1 is now the most recent
    expect(await at(3)).toBe(3); // drops 2
    expect(cache.size).toBe(2);
    expect(await at(1)).toBe(1);
    expect(await at(2)).toBe(2);
    expect(days).toEqual([1, 2, 3, 2]);
  });

  it("computes once for everyone who asks at the same time, and keeps no failure", async () => {
    const cache = new ReportCache();
    let runs = 0;
    const slow = () =>
      cache.get("t", SYSTEM_ACTOR, {}, async () => (runs++, await new Promise((r) => setTimeout(r, 20)), runs));
    expect(await Promise.all(Array.from({ length: 10 }, slow))).toEqual(Array(10).fill(1));
    const failing = () => cache.get("f", SYSTEM_ACTOR, {}, () => Promise.reject(new Error("boom")));
    await expect(failing()).rejects.toThrow("boom");
    expect(await cache.get("f", SYSTEM_ACTOR, {}, async () => "fine")).toBe("fine");
  });
});
