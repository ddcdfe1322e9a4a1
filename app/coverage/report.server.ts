import { dayOfDate, lastDayOfMonth, monthLabel, monthOfDay, isoOfDay } from "./dates";
import { loadRules } from "./facts.server";
import { expressionBuilder, type Expression, type SqlBool } from "kysely";
import { assessCoverage, ruleInForce, trajectoryFraction, type Assessment, type TrainingRule } from "./rule";
import { scopeFilter, type Actor } from "./scope.server";
import { fragment, getReportSql, inList, inValues, isoInstantOf, num, type DB, type Sql } from "~/db/sql.server";

// Coverage as of a day, from the summary table. Every function here takes the
// actor and filters by its scope before anything else.

export type Breakdown = "group" | "province" | "former_province" | "agency";

export const UNIT_COLUMN = {
  province: "provinceId",
  former_province: "formerProvinceId",
  agency: "agencyId",
} as const satisfies Record<Exclude<Breakdown, "group">, keyof DB["CoverageFact"] & keyof DB["RosterPerson"]>;

export type GroupInfo = {
  id: string;
  code: string;
  nameVi: string;
  nameEn: string;
  targetPercent: number;
  deadlineDay: number;
  rules: TrainingRule[];
};

export async function loadGroups(sql: Sql = getReportSql()): Promise<GroupInfo[]> {
  const [groups, rules] = await Promise.all([
    sql.all(
      sql.db
        .selectFrom("TargetGroup")
        .select(["id", "code", "nameVi", "nameEn", "targetPercent", "deadline"])
        .orderBy("position")
        .orderBy("code"),
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

// Conditions over CoverageFact, aliased "f" in every query here, built apart
// from any one query so the counts, the series and the lists share them.
const fact = expressionBuilder<DB & { f: DB["CoverageFact"] }, "f">();

/** In the headcount on `day`: the SQL twin of isMemberOn (rule.ts), over the summary's integer day columns. */
function memberOn(day: number): Expression<SqlBool> {
  return fact.and([
    fact.or([fact("f.joinedDay", "is", null), fact("f.joinedDay", "<=", day)]),
    fact.or([fact("f.leftDay", "is", null), fact("f.leftDay", ">", day)]),
  ]);
}

/** Trained on `day` (with memberOn): the SQL twin of isTrainedOn; NULL means never qualified. */
function qualifiedBy(day: number): Expression<SqlBool> {
  return fact("f.qualifiedDay", "<=", day);
}

/** The WHERE clause over CoverageFact f: rule versions, membership on `day` (if given), the actor's scope, the filter. */
export function factWhere(
  actor: Actor,
  opts: { ruleIds: string[]; day?: number; filter: CoverageFilter },
): Expression<SqlBool> {
  const parts = [
    inValues(fact.ref("f.ruleId"), opts.ruleIds),
    scopeFilter(actor, fact.ref("f.provinceId"), fact.ref("f.agencyId")),
  ];
  if (opts.day !== undefined) parts.push(memberOn(opts.day));
  const { provinceId, formerProvinceId, agencyId } = opts.filter;
  if (provinceId !== undefined) parts.push(fact("f.provinceId", "=", provinceId));
  if (formerProvinceId !== undefined) parts.push(fact("f.formerProvinceId", "=", formerProvinceId));
  if (agencyId !== undefined) parts.push(fact("f.agencyId", "=", agencyId));
  return fact.and(parts);
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
  const sql = getReportSql();
  const groups = selectedGroups(allGroups ?? (await loadGroups(sql)), filter).filter((g) => g.rules.length > 0);
  if (groups.length === 0) return [];
  const rules = new Map(groups.map((g) => [g.id, ruleInForce(g.rules, day)]));
  const unitColumn = by === "group" ? null : UNIT_COLUMN[by];
  const unit: Expression<string | null> = unitColumn ? fact.ref(`f.${unitColumn}`) : fragment<null>`NULL`;
  // Grouped by rule, not group: one rule per group is in force on the day,
  // and "ruleId" leads the covering indexes.
  const rows = await sql.all(
    sql.db
      .selectFrom("CoverageFact as f")
      .select((eb) => [
        "f.ruleId",
        fragment<string | null>`${unit}`.as("unitId"),
        eb.fn.countAll().as("headcount"),
        eb.fn.sum(eb.case().when(qualifiedBy(day)).then(1).else(0).end()).as("trained"),
      ])
      .where(factWhere(actor, { ruleIds: [...rules.values()].map((r) => r.id), day, filter }))
      .groupBy("f.ruleId")
      .$if(unitColumn !== null, (qb) => qb.groupBy(`f.${unitColumn!}`)),
  );
  const groupOfRule = new Map(groups.map((g) => [rules.get(g.id)!.id, g]));
  const units = unitColumn
    ? await loadUnits(
        sql,
        by as Exclude<Breakdown, "group">,
        rows.map((r) => r.unitId),
      )
    : new Map<string, Unit>();
  const result = rows.map((row) => {
    const group = groupOfRule.get(row.ruleId)!;
    return coverageRow(group, row.unitId, units, num(row.headcount), num(row.trained), day);
  });
  if (by === "group") return totalsByGroup(groups, result, day);
  return inGroupAndUnitOrder(groups, result);
}

/** A group's figures in one unit (by id, named from `units`), on `day`. */
export function coverageRow(
  group: GroupInfo,
  unitId: string | null,
  units: Map<string, Unit>,
  headcount: number,
  trained: number,
  day: number,
): CoverageRow {
  return {
    group: { id: group.id, code: group.code, nameVi: group.nameVi, nameEn: group.nameEn },
    unit: unitId === null ? null : (units.get(unitId) ?? { id: unitId, code: unitId, nameVi: unitId, nameEn: null }),
    headcount,
    trained,
    targetPercent: group.targetPercent,
    ...assess(group, ruleInForce(group.rules, day), headcount, trained, day),
  };
}

/** Rows in the groups' order, then by unit name as Vietnamese sorts it. */
export function inGroupAndUnitOrder(groups: GroupInfo[], rows: CoverageRow[]): CoverageRow[] {
  const order = new Map(groups.map((g, i) => [g.id, i]));
  return rows.sort(
    (a, b) =>
      order.get(a.group.id)! - order.get(b.group.id)! ||
      (a.unit?.nameVi ?? "").localeCompare(b.unit?.nameVi ?? "", "vi"),
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
      return coverageRow(group, null, new Map(), headcount, trained, day);
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

export async function loadUnits(
  sql: Sql,
  by: Exclude<Breakdown, "group">,
  ids: (string | null)[],
): Promise<Map<string, Unit>> {
  const wanted = [...new Set(ids.filter((id): id is string => id !== null))];
  if (wanted.length === 0) return new Map();
  const rows: Unit[] = await sql.all(
    by === "agency"
      ? sql.db
          .selectFrom("Agency")
          .select(["id", "code", "nameVi", "nameEn"])
          .where((eb) => inList(sql, eb.ref("id"), wanted))
      : sql.db
          .selectFrom("Province")
          .select(["id", "code", "nameVi", "nameEn"])
          .where((eb) => inList(sql, eb.ref("id"), wanted)),
  );
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
  const sql = getReportSql();
  const group = (known?.groups ?? (await loadGroups(sql))).find((g) => g.code === groupCode);
  if (!group || group.rules.length === 0) return [];
  // One pass over the covering index: people by the months they joined,
  // were first counted as trained, and left, per rule version.
  const rows = (
    await sql.all(
      sql.db
        .selectFrom("CoverageFact as f")
        .select((eb) => ["f.ruleId", "f.joinedMonth", "f.trainedMonth", "f.leftMonth", eb.fn.countAll().as("n")])
        .where(factWhere(actor, { ruleIds: group.rules.map((r) => r.id), filter }))
        .groupBy(["f.ruleId", "f.joinedMonth", "f.trainedMonth", "f.leftMonth"]),
    )
  ).map((r) => ({
    ruleId: r.ruleId,
    joined: r.joinedMonth === null ? null : num(r.joinedMonth),
    trained: r.trainedMonth === null ? null : num(r.trainedMonth),
    left: r.leftMonth === null ? null : num(r.leftMonth),
    n: num(r.n),
  }));
  const present = (left: number | null, month: number) => left === null || left > month;
  const countsAt = (ruleId: string, month: number) =>
    rows.reduce(
      (counts, r) => {
        if (r.ruleId !== ruleId || !present(r.left, month)) return counts;
        if (r.joined === null || r.joined <= month) counts.headcount += r.n;
        if (r.trained !== null && r.trained <= month) counts.trained += r.n;
        return counts;
      },
      { headcount: 0, trained: 0 },
    );
  // The last point is the day itself; a caller that counted it already passes it in.
  const now = known?.today ?? (await coverageAsOf(actor, day, "group", { ...filter, groupCode }, [group]))[0];
  return seriesPoints(group, day, (ruleId, month) => countsAt(ruleId, month), now ?? { headcount: 0, trained: 0 });
}

/**
 * The month-end points from the scheme start to `day` (each counted under the
 * rule version in force at its end, by `countsAt(ruleId, month, monthEndDay)`),
 * then `day` itself, each with the straight line to the target.
 */
export function seriesPoints(
  group: GroupInfo,
  day: number,
  countsAt: (ruleId: string, month: number, monthEndDay: number) => { headcount: number; trained: number },
  now: { headcount: number; trained: number },
): SeriesPoint[] {
  const startDay = ruleInForce(group.rules, day).schemeStartDay;
  const points: SeriesPoint[] = [];
  const target = (headcount: number, at: number, schemeStartDay: number) =>
    Math.round(
      (group.targetPercent / 100) * headcount * trajectoryFraction(at, schemeStartDay, group.deadlineDay) * 10,
    ) / 10;
  for (let month = monthOfDay(startDay); lastDayOfMonth(month) < day; month++) {
    const end = lastDayOfMonth(month);
    const rule = ruleInForce(group.rules, end);
    const { headcount, trained } = countsAt(rule.id, month, end);
    points.push({
      label: monthLabel(month),
      day: end,
      headcount,
      trained,
      target: target(headcount, end, rule.schemeStartDay),
    });
  }
  const rule = ruleInForce(group.rules, day);
  points.push({
    label: isoOfDay(day),
    day,
    headcount: now.headcount,
    trained: now.trained,
    target: target(now.headcount, day, rule.schemeStartDay),
  });
  return points;
}

// ---------------------------------------------------------------- follow-up lists

type PersonTables = DB & { p: DB["RosterPerson"]; a: DB["Agency"]; pr: DB["Province"] };
const person = expressionBuilder<PersonTables, "p" | "a" | "pr">();

/** Roster people (alias p) joined to their agency (a) and province (pr), for PERSON_COLUMNS. */
export function personsWithUnits(sql: Sql) {
  return sql.db
    .selectFrom("RosterPerson as p")
    .leftJoin("Agency as a", "a.id", "p.agencyId")
    .leftJoin("Province as pr", "pr.id", "p.provinceId");
}

/** A roster person (alias p) with the names of their agency (a) and province (pr), as lists show them. */
export const PERSON_COLUMNS = [
  person.ref("p.id").as("id"),
  person.ref("p.personnelCode").as("personnelCode"),
  person.ref("p.fullName").as("fullName"),
  person.ref("p.email").as("email"),
  person.fn.coalesce("a.nameVi", "p.agencyRaw").as("agency"),
  person.fn.coalesce("pr.nameVi", "p.provinceRaw").as("province"),
] as const;
export type PersonRow = {
  id: string;
  personnelCode: string;
  fullName: string;
  email: string | null;
  agency: string;
  province: string;
};

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
  const sql = getReportSql();
  const group = (await loadGroups(sql)).find((g) => g.code === filter.groupCode);
  if (!group || group.rules.length === 0) return { total: 0, people: [] };
  const rule = ruleInForce(group.rules, day);
  // Not trained: the negation of qualifiedBy, where NULL means never qualified.
  const where = fact.and([
    factWhere(actor, { ruleIds: [rule.id], day, filter }),
    fact.or([fact("f.qualifiedDay", "is", null), fact("f.qualifiedDay", ">", day)]),
  ]);
  const count = await sql.first(
    sql.db
      .selectFrom("CoverageFact as f")
      .select((eb) => eb.fn.countAll().as("total"))
      .where(where),
  );
  const people = await sql.all(
    sql.db
      .selectFrom("CoverageFact as f")
      .innerJoin("RosterPerson as p", "p.id", "f.personId")
      .leftJoin("Agency as a", "a.id", "p.agencyId")
      .leftJoin("Province as pr", "pr.id", "p.provinceId")
      .select(PERSON_COLUMNS)
      .select((eb) => [
        "p.position",
        "p.userId",
        isoInstantOf(sql, eb.ref("p.lastRemindedAt")).as("lastRemindedAt"),
        eb
          .selectFrom("EmailMessage as m")
          .select("m.status")
          .whereRef("m.reminderId", "=", "p.lastReminderId")
          .whereRef("m.personId", "=", "p.id")
          .orderBy("m.id", "desc")
          .limit(fragment.lit(1))
          .as("reminderStatus"),
      ])
      .where(where)
      .orderBy("p.personnelCode")
      .$if(page !== null, (qb) =>
        qb
          .limit(fragment.lit(Math.max(1, Math.floor(page!.limit))))
          .offset(fragment.lit(Math.max(0, Math.floor(page!.offset)))),
      ),
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
