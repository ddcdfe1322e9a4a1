import { db } from "~/utils/db.server";
import { dayOfDate } from "./dates";
import { parseCourseCodes } from "./facts.server";
import { coverageAsOf, monthlySeries, UNIT_COLUMN, type Breakdown } from "./report.server";
import { isMemberOn, isTrainedOn, ruleInForce, type TrainingEvent, type TrainingRule } from "./rule";
import { inScope, type Actor } from "./scope.server";

// Coverage computed the slow way: every membership, every training record,
// the rule function, no summary table. It is the reference the summary is
// checked against (tests, and `npm run report -- verify`).

export type RawCount = { group: string; unit: string | null; headcount: number; trained: number };

export async function rawCoverage(actor: Actor, day: number, by: Breakdown): Promise<RawCount[]> {
  return (await rawCoverageOnDays(actor, [day], by))[0]!;
}

/** One list of counts per day, reading the raw rows once. */
export async function rawCoverageOnDays(actor: Actor, days: number[], by: Breakdown): Promise<RawCount[][]> {
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
    db.trainingRecord.findMany({ select: { personId: true, courseCode: true, completedOn: true } }),
  ]);
  const rules = new Map<string, TrainingRule[]>(
    groups.map((g) => [
      g.id,
      // The same order loadRules gives: by validFrom, then creation, then id.
      [...g.rules]
        .sort((a, b) => a.validFrom.getTime() - b.validFrom.getTime() || a.createdAt.getTime() - b.createdAt.getTime() || a.id.localeCompare(b.id))
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
  const codes = new Map(groups.map((g) => [g.id, g.code]));
  const byPerson = new Map<string, TrainingEvent[]>();
  for (const r of records) {
    byPerson.set(r.personId, [...(byPerson.get(r.personId) ?? []), { courseCode: r.courseCode, day: dayOfDate(r.completedOn) }]);
  }
  return days.map((day) => {
    const counts = new Map<string, RawCount>();
    for (const m of memberships) {
      if (!inScope(actor, m.person)) continue;
      const groupRules = rules.get(m.groupId) ?? [];
      if (groupRules.length === 0) continue;
      const membership = { joinedDay: m.joinedOn ? dayOfDate(m.joinedOn) : null, leftDay: m.leftOn ? dayOfDate(m.leftOn) : null };
      if (!isMemberOn(membership, day)) continue;
      const unit = by === "group" ? null : (m.person[UNIT_COLUMN[by] as "provinceId" | "formerProvinceId" | "agencyId"] ?? null);
      const key = `${m.groupId}|${unit}`;
      const count = counts.get(key) ?? { group: codes.get(m.groupId)!, unit, headcount: 0, trained: 0 };
      count.headcount++;
      if (isTrainedOn(membership, ruleInForce(groupRules, day), byPerson.get(m.personId) ?? [], day)) count.trained++;
      counts.set(key, count);
    }
    return sortCounts([...counts.values()]);
  });
}

export function sortCounts(rows: RawCount[]): RawCount[] {
  return rows.sort((a, b) => a.group.localeCompare(b.group) || String(a.unit).localeCompare(String(b.unit)));
}

/** The summary table's answer in the same shape, leaving out groups with nobody in them. */
export async function summaryCoverage(actor: Actor, day: number, by: Breakdown): Promise<RawCount[]> {
  const rows = await coverageAsOf(actor, day, by);
  return sortCounts(
    rows.filter((r) => r.headcount > 0).map((r) => ({ group: r.group.code, unit: r.unit?.id ?? null, headcount: r.headcount, trained: r.trained })),
  );
}

export type Mismatch = { day: number; by: Breakdown; raw: RawCount | null; summary: RawCount | null };

/** Compares the two on each day and breakdown; an empty list means they agree. */
export async function verifyCoverage(actor: Actor, days: number[], breakdowns: Breakdown[] = ["group", "province", "former_province", "agency"]) {
  const mismatches: Mismatch[] = [];
  for (const day of days) {
    for (const by of breakdowns) {
      const [raw, summary] = await Promise.all([rawCoverage(actor, day, by), summaryCoverage(actor, day, by)]);
      const key = (r: RawCount) => `${r.group}|${r.unit}`;
      const summaryByKey = new Map(summary.map((r) => [key(r), r]));
      for (const r of raw) {
        const s = summaryByKey.get(key(r)) ?? null;
        summaryByKey.delete(key(r));
        if (!s || s.headcount !== r.headcount || s.trained !== r.trained) mismatches.push({ day, by, raw: r, summary: s });
      }
      for (const s of summaryByKey.values()) mismatches.push({ day, by, raw: null, summary: s });
    }
  }
  return mismatches;
}

/** The month-by-month series against the raw computation on each of its days; returns the points that differ. */
export async function verifySeries(actor: Actor, day: number, groupCode: string) {
  const points = await monthlySeries(actor, day, groupCode);
  const raw = await rawCoverageOnDays(actor, points.map((p) => p.day), "group");
  return points.flatMap((point, i) => {
    const expected = raw[i]!.find((r) => r.group === groupCode) ?? { headcount: 0, trained: 0 };
    return expected.headcount === point.headcount && expected.trained === point.trained ? [] : [{ point, expected }];
  });
}
