import { db } from "~/utils/db.server";
import { dayOfDate, vietnamDay } from "./dates";
import { parseCourseCodes } from "./facts.server";
import { coverageAsOf, monthlySeries, UNIT_COLUMN, type Breakdown } from "./report.server";
import { isMemberOn, isTrainedOn, ruleInForce, type TrainingEvent, type TrainingRule } from "./rule";
import { inScope, type Actor } from "./scope.server";

// Coverage computed the slow way: every membership, every training record,
// the rule function, no summary table. It is the reference the summary is
// checked against (tests, and `npm run report -- verify`).

export type RawCount = { group: string; unit: string | null; headcount: number; trained: number };

export async function rawCoverage(actor: Actor, day: number, by: Breakdown): Promise<RawCount[]> {
  return countRaw(await loadRawRows(), actor, day, by);
}

export type RawRows = Awaited<ReturnType<typeof loadRawRows>>;

/** Every membership, training record and rule version, read once, through Prisma. */
export async function loadRawRows() {
  const [groups, memberships, records] = await Promise.all([
    db.targetGroup.findMany({ include: { rules: true } }),
    db.groupMembership.findMany({
      select: {
        personId: true,
        groupId: true,
        joinedOn: true,
        leftOn: true,
        person: { select: { provinceId: true, formerProvinceId: true, agencyId: true } },
      },
    }),
    db.trainingRecord.findMany({ select: { personId: true, courseCode: true, completedOn: true, voidedAt: true } }),
  ]);
  const rules = new Map<string, TrainingRule[]>(
    groups.map((g) => [
      g.id,
      // The same versions and order loadRules gives: not withdrawn; by validFrom, then creation, then id.
      g.rules
        .filter((r) => r.withdrawnAt === null)
        .sort(
          (a, b) =>
            a.validFrom.getTime() - b.validFrom.getTime() ||
            a.createdAt.getTime() - b.createdAt.getTime() ||
            a.id.localeCompare(b.id),
        )
        .map((r, position) => ({
          id: r.id,
          groupId: r.groupId,
          kind: r.kind,
          minCount: r.minCount,
          courseCodes: parseCourseCodes(r.courseCodes),
          schemeStartDay: dayOfDate(r.schemeStart),
          validFromDay: dayOfDate(r.validFrom),
          createdAt: position,
        })),
    ]),
  );
  const byPerson = new Map<string, TrainingEvent[]>();
  for (const r of records) {
    const list = byPerson.get(r.personId) ?? [];
    list.push({
      courseCode: r.courseCode,
      day: dayOfDate(r.completedOn),
      voidDay: r.voidedAt === null ? null : vietnamDay(r.voidedAt),
    });
    byPerson.set(r.personId, list);
  }
  return {
    rules,
    codes: new Map(groups.map((g) => [g.id, g.code])),
    byPerson,
    memberships: memberships.map((m) => ({
      personId: m.personId,
      groupId: m.groupId,
      person: m.person,
      joinedDay: m.joinedOn ? dayOfDate(m.joinedOn) : null,
      leftDay: m.leftOn ? dayOfDate(m.leftOn) : null,
    })),
  };
}

/** Headcount and trained per group (and unit) on a day: the rule function on every membership. */
export function countRaw(raw: RawRows, actor: Actor, day: number, by: Breakdown): RawCount[] {
  const counts = new Map<string, RawCount>();
  for (const m of raw.memberships) {
    if (!inScope(actor, m.person)) continue;
    const groupRules = raw.rules.get(m.groupId) ?? [];
    if (groupRules.length === 0 || !isMemberOn(m, day)) continue;
    const unit =
      by === "group" ? null : (m.person[UNIT_COLUMN[by] as "provinceId" | "formerProvinceId" | "agencyId"] ?? null);
    const key = `${m.groupId}|${unit}`;
    const count = counts.get(key) ?? { group: raw.codes.get(m.groupId)!, unit, headcount: 0, trained: 0 };
    count.headcount++;
    if (isTrainedOn(m, ruleInForce(groupRules, day), raw.byPerson.get(m.personId) ?? [], day)) count.trained++;
    counts.set(key, count);
  }
  return sortCounts([...counts.values()]);
}

export function sortCounts(rows: RawCount[]): RawCount[] {
  return rows.sort((a, b) => a.group.localeCompare(b.group) || String(a.unit).localeCompare(String(b.unit)));
}

/** The summary table's answer in the same shape, leaving out groups with nobody in them. */
export async function summaryCoverage(actor: Actor, day: number, by: Breakdown): Promise<RawCount[]> {
  const rows = await coverageAsOf(actor, day, by);
  return sortCounts(
    rows
      .filter((r) => r.headcount > 0)
      .map((r) => ({ group: r.group.code, unit: r.unit?.id ?? null, headcount: r.headcount, trained: r.trained })),
  );
}

export type Mismatch = { day: number; by: Breakdown; raw: RawCount | null; summary: RawCount | null };

/** Compares the two on each day and breakdown; an empty list means they agree. */
export async function verifyCoverage(
  actor: Actor,
  days: number[],
  breakdowns: Breakdown[] = ["group", "province", "former_province", "agency"],
  rows?: RawRows,
) {
  const rawRows = rows ?? (await loadRawRows());
  const mismatches: Mismatch[] = [];
  for (const day of days) {
    for (const by of breakdowns) {
      const raw = countRaw(rawRows, actor, day, by);
      const summary = await summaryCoverage(actor, day, by);
      const key = (r: RawCount) => `${r.group}|${r.unit}`;
      const summaryByKey = new Map(summary.map((r) => [key(r), r]));
      for (const r of raw) {
        const s = summaryByKey.get(key(r)) ?? null;
        summaryByKey.delete(key(r));
        if (!s || s.headcount !== r.headcount || s.trained !== r.trained)
          mismatches.push({ day, by, raw: r, summary: s });
      }
      for (const s of summaryByKey.values()) mismatches.push({ day, by, raw: null, summary: s });
    }
  }
  return mismatches;
}

/** The month-by-month series against the raw computation on each of its days; returns the points that differ. */
export async function verifySeries(actor: Actor, day: number, groupCode: string, rows?: RawRows) {
  const points = await monthlySeries(actor, day, groupCode);
  const rawRows = rows ?? (await loadRawRows());
  return points.flatMap((point) => {
    const expected = countRaw(rawRows, actor, point.day, "group").find((r) => r.group === groupCode) ?? {
      headcount: 0,
      trained: 0,
    };
    return expected.headcount === point.headcount && expected.trained === point.trained ? [] : [{ point, expected }];
  });
}
