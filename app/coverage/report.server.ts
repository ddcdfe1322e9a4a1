import { dayOfDate, lastDayOfMonth, monthLabel, monthOfDay, isoOfDay } from "./dates";
import { loadRules } from "./facts.server";
import { assessCoverage, memberOnSql, qualifiedBySql, ruleInForce, trajectoryFraction, type Assessment, type TrainingRule } from "./rule";
import { scopeFilter, type Actor } from "./scope.server";
import { getSql, num, type Sql } from "~/db/sql.server";
import { inList, inValues, isoInstantOf, listParam } from "~/db/legacy-sql.server";

// Coverage as of a day, from the summary table. Every function here takes the
// actor and filters by its scope before anything else.

export type Breakdown = "group" | "province" | "former_province" | "agency";

export const UNIT_COLUMN: Record<Exclude<Breakdown, "group">, string> = {
  province: "provinceId",
  former_province: "formerProvinceId",
  agency: "agencyId",
};

export type GroupInfo = {
  id: string;
  code: string;
  nameVi: string;
  nameEn: string;
  targetPercent: number;
  deadlineDay: number;
  rules: TrainingRule[];
};

export async function loadGroups(sql: Sql = getSql()): Promise<GroupInfo[]> {
  const [groups, rules] = await Promise.all([
    sql.all<{ id: string; code: string; nameVi: string; nameEn: string; targetPercent: number; deadline: string | Date }>(
      `SELECT "id", "code", "nameVi", "nameEn", "targetPercent", "deadline" FROM "TargetGroup" ORDER BY "position", "code"`,
    ),
    loadRules(sql),
  ]);
  return groups.map((g) => ({
    id: g.id,
    code: g.code,
    nameVi: g.nameVi,
    nameEn: g.nameEn,
    targetPercent: Number(g.targetPercent),
    deadlineDay: dayOfDate(g.deadline instanceof Date ? g.deadline : new Date(g.deadline)),
    rules: rules.get(g.id) ?? [],
  }));
}

/** Narrows a report to a group or a unit; always on top of the actor's scope, never instead of it. */
export type CoverageFilter = { groupCode?: string; provinceId?: string; formerProvinceId?: string; agencyId?: string };

export type Unit = { id: string; code: string; nameVi: string; nameEn: string | null };

export type CoverageRow = {
  group: Pick<GroupInfo, "id" | "code" | "nameVi" | "nameEn">;
  unit: Unit | null; // null for the group breakdown
  headcount: number;
  trained: number;
  targetPercent: number;
} & Assessment;

/** The WHERE clause over CoverageFact: rule versions, membership on `day` (if given), the actor's scope, the filter. */
function factWhere(sql: Sql, actor: Actor, opts: { ruleIds: string[]; day?: number; filter: CoverageFilter; alias?: string }) {
  const column = (name: string) => (opts.alias ? `${opts.alias}."${name}"` : `"${name}"`);
  const scope = scopeFilter(actor, opts.alias);
  const rules = inValues(column("ruleId"), opts.ruleIds);
  const parts = [rules.text, scope.sql];
  const params: unknown[] = [...rules.params, ...scope.params];
  if (opts.day !== undefined) {
    parts.push(memberOnSql(column));
    params.push(opts.day, opts.day);
  }
  for (const key of ["provinceId", "formerProvinceId", "agencyId"] as const) {
    if (opts.filter[key] !== undefined) {
      parts.push(`${column(key)} = ?`);
      params.push(opts.filter[key]);
    }
  }
  return { text: parts.join(" AND "), params };
}

function selectedGroups(groups: GroupInfo[], filter: CoverageFilter): GroupInfo[] {
  return filter.groupCode ? groups.filter((g) => g.code === filter.groupCode) : groups;
}

/** Rows of one group in one unit (or one group overall), counted on `day`. */
export async function coverageAsOf(
  actor: Actor,
  day: number,
  by: Breakdown,
  filter: CoverageFilter = {},
  allGroups?: GroupInfo[],
): Promise<CoverageRow[]> {
  const sql = getSql();
  const groups = selectedGroups(allGroups ?? (await loadGroups(sql)), filter).filter((g) => g.rules.length > 0);
  if (groups.length === 0) return [];
  const rules = new Map(groups.map((g) => [g.id, ruleInForce(g.rules, day)]));
  const where = factWhere(sql, actor, { ruleIds: [...rules.values()].map((r) => r.id), day, filter });
  const unitColumn = by === "group" ? null : UNIT_COLUMN[by];
  // Grouped by rule, not group: one rule per group is in force on the day,
  // and "ruleId" leads the covering indexes.
  const rows = await sql.all<{ ruleId: string; unitId: string | null; headcount: unknown; trained: unknown }>(
    `SELECT "ruleId", ${unitColumn ? `"${unitColumn}"` : "NULL"} AS "unitId", COUNT(*) AS "headcount",
            SUM(CASE WHEN ${qualifiedBySql()} THEN 1 ELSE 0 END) AS "trained"
       FROM "CoverageFact"
      WHERE ${where.text}
      GROUP BY "ruleId"${unitColumn ? `, "${unitColumn}"` : ""}`,
    [day, ...where.params],
  );
  const groupOfRule = new Map(groups.map((g) => [rules.get(g.id)!.id, g]));
  const units = unitColumn ? await loadUnits(sql, by as Exclude<Breakdown, "group">, rows.map((r) => r.unitId)) : new Map<string, Unit>();
  const result = rows.map((row) => {
    const group = groupOfRule.get(row.ruleId)!;
    const headcount = num(row.headcount);
    const trained = num(row.trained);
    return {
      group: { id: group.id, code: group.code, nameVi: group.nameVi, nameEn: group.nameEn },
      unit: row.unitId === null ? null : (units.get(row.unitId) ?? { id: row.unitId, code: row.unitId, nameVi: row.unitId, nameEn: null }),
      headcount,
      trained,
      targetPercent: group.targetPercent,
      ...assess(group, rules.get(group.id)!, headcount, trained, day),
    };
  });
  if (by === "group") return totalsByGroup(groups, result, day);
  const order = new Map(groups.map((g, i) => [g.id, i]));
  return result.sort(
    (a, b) => order.get(a.group.id)! - order.get(b.group.id)! || (a.unit?.nameVi ?? "").localeCompare(b.unit?.nameVi ?? "", "vi"),
  );
}

/**
 * One row per group from the rows of any breakdown: every membership has
 * exactly one unit, so the sums are the group's figures. Groups with nobody
 * in them get a row too.
 */
export function totalsByGroup(groups: GroupInfo[], rows: CoverageRow[], day: number): CoverageRow[] {
  return groups
    .filter((g) => g.rules.length > 0)
    .map((group) => {
      const own = rows.filter((r) => r.group.id === group.id);
      const headcount = own.reduce((sum, r) => sum + r.headcount, 0);
      const trained = own.reduce((sum, r) => sum + r.trained, 0);
      return {
        group: { id: group.id, code: group.code, nameVi: group.nameVi, nameEn: group.nameEn },
        unit: null,
        headcount,
        trained,
        targetPercent: group.targetPercent,
        ...assess(group, ruleInForce(group.rules, day), headcount, trained, day),
      };
    });
}

/** The figures of a row, without names: what the CLI and the exports print. */
export function rowFigures(row: CoverageRow) {
  return {
    headcount: row.headcount,
    trained: row.trained,
    percent: row.percent,
    target: row.targetPercent,
    expected: row.expectedPercent,
    gap: row.gap,
  };
}

function assess(group: GroupInfo, rule: TrainingRule, headcount: number, trained: number, day: number): Assessment {
  return assessCoverage({
    headcount,
    trained,
    targetPercent: group.targetPercent,
    day,
    schemeStartDay: rule.schemeStartDay,
    deadlineDay: group.deadlineDay,
  });
}

async function loadUnits(sql: Sql, by: Exclude<Breakdown, "group">, ids: (string | null)[]): Promise<Map<string, Unit>> {
  const wanted = [...new Set(ids.filter((id): id is string => id !== null))];
  if (wanted.length === 0) return new Map();
  const table = by === "agency" ? "Agency" : "Province";
  const rows = await sql.all<Unit>(`SELECT "id", "code", "nameVi", "nameEn" FROM "${table}" WHERE ${inList(sql, `"id"`)}`, [listParam(sql, wanted)]);
  return new Map(rows.map((u) => [u.id, u]));
}

// ---------------------------------------------------------------- month by month

export type SeriesPoint = { label: string; day: number; headcount: number; trained: number; target: number };

/**
 * Trained people at the end of every month from the scheme start to `day`,
 * and on `day` itself, with the straight line to the target. Each point uses
 * the rule version in force on its own date.
 */
export async function monthlySeries(
  actor: Actor,
  day: number,
  groupCode: string,
  filter: CoverageFilter = {},
  known?: { groups: GroupInfo[]; today: { headcount: number; trained: number } },
): Promise<SeriesPoint[]> {
  const sql = getSql();
  const group = (known?.groups ?? (await loadGroups(sql))).find((g) => g.code === groupCode);
  if (!group || group.rules.length === 0) return [];
  const { text: where, params } = factWhere(sql, actor, { ruleIds: group.rules.map((r) => r.id), filter });
  // One pass over the covering index: people by the months they joined,
  // were first counted as trained, and left, per rule version.
  const rows = (
    await sql.all<{ ruleId: string; joinedMonth: unknown; trainedMonth: unknown; leftMonth: unknown; n: unknown }>(
      `SELECT "ruleId", "joinedMonth", "trainedMonth", "leftMonth", COUNT(*) AS "n" FROM "CoverageFact" WHERE ${where}
        GROUP BY "ruleId", "joinedMonth", "trainedMonth", "leftMonth"`,
      params,
    )
  ).map((r) => ({
    ruleId: r.ruleId,
    joined: r.joinedMonth === null ? null : num(r.joinedMonth),
    trained: r.trainedMonth === null ? null : num(r.trainedMonth),
    left: r.leftMonth === null ? null : num(r.leftMonth),
    n: num(r.n),
  }));
  const present = (left: number | null, month: number) => left === null || left > month;
  const headcountAt = (ruleId: string, month: number) =>
    rows.reduce((sum, r) => (r.ruleId === ruleId && (r.joined === null || r.joined <= month) && present(r.left, month) ? sum + r.n : sum), 0);
  const trainedAt = (ruleId: string, month: number) =>
    rows.reduce((sum, r) => (r.ruleId === ruleId && r.trained !== null && r.trained <= month && present(r.left, month) ? sum + r.n : sum), 0);

  const startDay = ruleInForce(group.rules, day).schemeStartDay;
  const points: SeriesPoint[] = [];
  const target = (headcount: number, at: number, schemeStartDay: number) =>
    Math.round((group.targetPercent / 100) * headcount * trajectoryFraction(at, schemeStartDay, group.deadlineDay) * 10) / 10;
  for (let month = monthOfDay(startDay); lastDayOfMonth(month) < day; month++) {
    const end = lastDayOfMonth(month);
    const rule = ruleInForce(group.rules, end);
    const headcount = headcountAt(rule.id, month);
    points.push({ label: monthLabel(month), day: end, headcount, trained: trainedAt(rule.id, month), target: target(headcount, end, rule.schemeStartDay) });
  }
  // The last point is the day itself; a caller that counted it already passes it in.
  const now = known?.today ?? (await coverageAsOf(actor, day, "group", { ...filter, groupCode }, [group]))[0];
  const rule = ruleInForce(group.rules, day);
  const headcount = now?.headcount ?? 0;
  points.push({ label: isoOfDay(day), day, headcount, trained: now?.trained ?? 0, target: target(headcount, day, rule.schemeStartDay) });
  return points;
}

// ---------------------------------------------------------------- follow-up lists

/** A roster person (alias p) with the names of their agency and province, as lists show them. */
export const PERSON_COLUMNS = `p."id", p."personnelCode", p."fullName", p."email", COALESCE(a."nameVi", p."agencyRaw") AS "agency",
  COALESCE(pr."nameVi", p."provinceRaw") AS "province"`;
export const PERSON_JOINS = `LEFT JOIN "Agency" a ON a."id" = p."agencyId" LEFT JOIN "Province" pr ON pr."id" = p."provinceId"`;
export type PersonRow = { id: string; personnelCode: string; fullName: string; email: string | null; agency: string; province: string };

export type ReminderStatus = "STORED" | "QUEUED" | "SENT" | "FAILED";
export type FollowUpPerson = PersonRow & {
  position: string | null;
  linked: boolean;
  /** When the last reminder went out (ISO instant), and what became of that message. */
  lastRemindedAt: string | null;
  reminderStatus: ReminderStatus | null;
};

/** People in the group's headcount on `day` who are not trained: the coordinator's follow-up list. */
export async function untrainedPeople(
  actor: Actor,
  day: number,
  filter: CoverageFilter & { groupCode: string },
  page: { limit: number; offset: number } | null,
): Promise<{ total: number; people: FollowUpPerson[] }> {
  const sql = getSql();
  const group = (await loadGroups(sql)).find((g) => g.code === filter.groupCode);
  if (!group || group.rules.length === 0) return { total: 0, people: [] };
  const rule = ruleInForce(group.rules, day);
  const factsWhere = factWhere(sql, actor, { ruleIds: [rule.id], day, filter, alias: "f" });
  // Not trained: the negation of qualifiedBySql, where NULL means never qualified.
  const where = `${factsWhere.text} AND (f."qualifiedDay" IS NULL OR f."qualifiedDay" > ?)`;
  const allParams = [...factsWhere.params, day];
  const [count] = await sql.all<{ total: unknown }>(`SELECT COUNT(*) AS "total" FROM "CoverageFact" f WHERE ${where}`, allParams);
  const people = await sql.all<PersonRow & { position: string | null; userId: string | null; lastRemindedAt: string | Date | null; reminderStatus: string | null }>(
    `SELECT ${PERSON_COLUMNS}, p."position", p."userId", ${isoInstantOf(sql, `p."lastRemindedAt"`)} AS "lastRemindedAt",
            (SELECT m."status" FROM "EmailMessage" m WHERE m."reminderId" = p."lastReminderId" AND m."personId" = p."id"
              ORDER BY m."id" DESC LIMIT 1) AS "reminderStatus"
       FROM "CoverageFact" f
       JOIN "RosterPerson" p ON p."id" = f."personId"
       ${PERSON_JOINS}
      WHERE ${where}
      ORDER BY p."personnelCode"
      ${page ? `LIMIT ${Math.max(1, Math.floor(page.limit))} OFFSET ${Math.max(0, Math.floor(page.offset))}` : ""}`,
    allParams,
  );
  return {
    total: num(count?.total),
    people: people.map((p) => ({
      id: p.id,
      personnelCode: p.personnelCode,
      fullName: p.fullName,
      email: p.email,
      position: p.position,
      agency: p.agency,
      province: p.province,
      linked: p.userId !== null,
      lastRemindedAt: p.lastRemindedAt === null ? null : new Date(p.lastRemindedAt).toISOString(),
      reminderStatus: (p.reminderStatus as ReminderStatus | null) ?? null,
    })),
  };
}
