// The timeline must answer exactly what the per-date queries answer, on any
// day, in any scope: a generated roster with joins, departures, trainings
// before and after joining, departures before any training, and a second rule
// version from mid-2024. Runs on SQLite, and on PostgreSQL with TEST_DATABASE_URL.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedReferenceData } from "~/setup/seed.server";
import { closeSql } from "~/db/sql.server";
import { SYSTEM_AUDIT_ACTOR } from "~/audit/audit.server";
import { coverageDashboard } from "./dashboard.server";
import { isoOfDay, parseIsoDay } from "./dates";
import { addRuleVersion } from "./groups.server";
import { reportCache } from "./report-cache.server";
import { coverageAsOf, loadGroups, monthlySeries, totalsByGroup } from "./report.server";
import { SYSTEM_ACTOR, type Actor } from "./scope.server";
import { buildTimeline, timelineByProvince, timelineKeeper, TimelineKeeper, timelineSeries } from "./timeline.server";
import { createCoordinator, importRosterCsv, importTrainingCsv, ROSTER_HEAD } from "../../tests/helpers/coverage";

const d = (iso: string) => parseIsoDay(iso)!;
const FIRST = d("2022-06-01");
const LAST = d("2027-06-30");

function prng(seed: number) {
  return () => {
    seed = (seed * 1664525 + 1013904223) >>> 0;
    return seed / 2 ** 32;
  };
}
const random = prng(1079);
const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
const dayBetween = (from: number, to: number) => from + Math.floor(random() * (to - from + 1));

const PROVINCES = ["Hà Nội", "Huế", "Hà Giang", "TP. Hồ Chí Minh", "Đà Nẵng"];
const AGENCIES = ["Bộ Tư pháp", "Báo Nhân Dân", "Hội Liên hiệp Phụ nữ Việt Nam"];
const GROUPS = ["HR_WORK", "INFO_MGMT", "PRESS_EXTERNAL", "SOCIOPOL_KEY"];

function roster(people: number): string {
  const lines = [ROSTER_HEAD];
  for (let i = 0; i < people; i++) {
    const joined = random() < 0.4 ? isoOfDay(dayBetween(FIRST, LAST)) : "";
    const left =
      random() < 0.25 ? isoOfDay(dayBetween(joined ? d(joined) + 1 : FIRST, joined ? d(joined) + 400 : LAST)) : "";
    const groups = GROUPS.filter(() => random() < 0.35);
    lines.push(
      [
        `T${i}`,
        `Người ${i}`,
        "",
        pick(AGENCIES),
        pick(PROVINCES),
        (groups.length ? groups : [pick(GROUPS)]).join(";"),
        "",
        joined,
        left,
      ].join(","),
    );
  }
  return lines.join("\n") + "\n";
}

function trainings(people: number): string {
  const lines = ["personnel_code,course_code,completed_on,mode"];
  for (let i = 0; i < people; i++) {
    const count = Math.floor(random() * 3);
    for (let k = 0; k < count; k++) {
      lines.push(`T${i},course-${k},${isoOfDay(dayBetween(FIRST, LAST))},in_person`);
    }
  }
  return lines.join("\n") + "\n";
}

let actors: [string, Actor][] = [];
const days = [d("2022-12-31"), d("2023-01-31"), d("2024-06-30"), d("2024-07-01"), LAST];
for (let i = 0; i < 25; i++) days.push(dayBetween(FIRST, LAST));

beforeAll(async () => {
  await seedReferenceData();
  const people = 400;
  const outcome = await importRosterCsv(roster(people));
  expect(outcome.status).toBe("DONE");
  expect((await importTrainingCsv(trainings(people))).status).toBe("DONE");
  // A second rule version of one group from 2024-07-01: two trainings needed.
  await addRuleVersion(
    "HR_WORK",
    { kind: "MIN_COUNT", minCount: 2, courseCodes: [], schemeStart: d("2023-01-01"), validFrom: d("2024-07-01") },
    SYSTEM_AUDIT_ACTOR,
  );
  actors = [
    ["national", SYSTEM_ACTOR],
    ["Hà Nội", (await createCoordinator("timeline-hn@example.vn", { provinceCode: "cur-ha-noi" })).actor],
    ["an agency", (await createCoordinator("timeline-agency@example.vn", { agencyCode: "MOJ" })).actor],
  ];
});
afterAll(closeSql);

describe("a scope's timeline", () => {
  it("gives every day's group × province figures exactly as the per-date query does", async () => {
    for (const [name, actor] of actors) {
      const timeline = await buildTimeline(actor);
      for (const day of days) {
        const expected = await coverageAsOf(actor, day, "province");
        expect(timelineByProvince(timeline, day), `${name} on ${isoOfDay(day)}`).toEqual(expected);
      }
    }
  });

  it("gives the month-by-month chart of every group exactly as the per-group query does", async () => {
    const groups = await loadGroups();
    for (const [name, actor] of actors) {
      const timeline = await buildTimeline(actor);
      for (const day of days.slice(0, 8)) {
        const totals = totalsByGroup(groups, timelineByProvince(timeline, day), day);
        for (const group of groups) {
          const now = totals.find((r) => r.group.id === group.id) ?? { headcount: 0, trained: 0 };
          expect(timelineSeries(timeline, group, day, now), `${name}, ${group.code} on ${isoOfDay(day)}`).toEqual(
            await monthlySeries(actor, day, group.code),
          );
        }
      }
    }
  });

  it("has people in the figures at all: the comparison above is not of two empty answers", async () => {
    const rows = timelineByProvince(await buildTimeline(SYSTEM_ACTOR), d("2025-06-30"));
    expect(rows.length).toBeGreaterThan(8);
    expect(rows.reduce((sum, r) => sum + r.trained, 0)).toBeGreaterThan(20);
  });

  it("is built for a scope only after it asks for several dates at one version, once, and dropped by a write", async () => {
    const builds: string[] = [];
    // Builds wait for the gate, so "in flight" is a state the test controls.
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const keeper = new TimelineKeeper(3, 40, async (actor) => {
      builds.push(actor.kind === "system" ? "national" : String(actor.scopeProvinceId ?? actor.scopeAgencyId));
      await gate;
      return buildTimeline(actor);
    });
    const hanoi = actors[1]![1];
    expect(await keeper.ready(SYSTEM_ACTOR, days[0]!)).toBeNull();
    expect(await keeper.ready(SYSTEM_ACTOR, days[0]!)).toBeNull(); // the same day again is no new date
    expect(await keeper.ready(hanoi, days[1]!)).toBeNull(); // another scope counts apart
    expect(await keeper.ready(SYSTEM_ACTOR, days[1]!)).toBeNull();
    expect(builds).toEqual([]);
    expect(await keeper.ready(SYSTEM_ACTOR, days[2]!)).toBeNull(); // the third date starts the build
    expect(await keeper.ready(SYSTEM_ACTOR, days[3]!)).toBeNull(); // in flight: not started twice
    expect(builds).toEqual(["national"]);
    open();
    await keeper.settled();
    expect(builds).toEqual(["national"]);
    const timeline = await keeper.ready(SYSTEM_ACTOR, days[4]!);
    expect(timeline).not.toBeNull();
    expect(timelineByProvince(timeline!, days[4]!)).toEqual(await coverageAsOf(SYSTEM_ACTOR, days[4]!, "province"));

    // A write raises the coverage version: the timeline is not served again.
    await importRosterCsv(`${ROSTER_HEAD}\nNEW1,Người Mới,,Bộ Tư pháp,Hà Nội,HR_WORK,,2025-01-01,\n`);
    expect(await keeper.ready(SYSTEM_ACTOR, days[4]!)).toBeNull();
    for (const day of days.slice(5, 7)) expect(await keeper.ready(SYSTEM_ACTOR, day)).toBeNull();
    await keeper.settled();
    const rebuilt = await keeper.ready(SYSTEM_ACTOR, days[4]!);
    expect(builds).toEqual(["national", "national"]);
    expect(timelineByProvince(rebuilt!, days[4]!)).toEqual(await coverageAsOf(SYSTEM_ACTOR, days[4]!, "province"));
  });

  it("leaves reports per date when a build fails, and tries again later", async () => {
    let fail = true;
    const keeper = new TimelineKeeper(2, 40, (actor) =>
      fail ? Promise.reject(new Error("disk")) : buildTimeline(actor),
    );
    for (const day of days.slice(0, 2)) expect(await keeper.ready(SYSTEM_ACTOR, day)).toBeNull();
    await keeper.settled();
    expect(await keeper.ready(SYSTEM_ACTOR, days[2]!)).toBeNull();
    fail = false;
    expect(await keeper.ready(SYSTEM_ACTOR, days[3]!)).toBeNull();
    await keeper.settled();
    expect(await keeper.ready(SYSTEM_ACTOR, days[3]!)).not.toBeNull();
  });

  it("gives the dashboard the same figures per date and from the timeline, and a write is seen on the next page", async () => {
    reportCache().clear();
    timelineKeeper().clear();
    const summaryOf = (report: Awaited<ReturnType<typeof coverageDashboard>>) =>
      report.summary.map((r) => [r.group.code, r.headcount, r.trained]);
    const perDate = [];
    for (const day of days.slice(0, 4)) perDate.push(await coverageDashboard(SYSTEM_ACTOR, day, "HR_WORK"));
    await timelineKeeper().settled();
    reportCache().clear();
    for (const [i, day] of days.slice(0, 4).entries()) {
      expect(await coverageDashboard(SYSTEM_ACTOR, day, "HR_WORK")).toEqual(perDate[i]);
    }
    const day = d("2025-06-30");
    const before = await coverageDashboard(SYSTEM_ACTOR, day, "HR_WORK");
    await importRosterCsv(`${ROSTER_HEAD}\nNEW2,Người Mới Nữa,,Bộ Tư pháp,Hà Nội,HR_WORK,,2025-01-01,\n`);
    const after = await coverageDashboard(SYSTEM_ACTOR, day, "HR_WORK");
    const hr = (report: typeof before) => report.summary.find((r) => r.group.code === "HR_WORK")!.headcount;
    expect(hr(after)).toBe(hr(before) + 1);
    expect(summaryOf(after)).toEqual(
      (await coverageAsOf(SYSTEM_ACTOR, day, "group")).map((r) => [r.group.code, r.headcount, r.trained]),
    );
  });
});
