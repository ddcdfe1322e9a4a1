import { z } from "zod";
import { parseStoredJsonOr } from "~/utils/stored-json";
import { monthOfDay, parseIsoDay, vietnamDay } from "./dates";
import { membershipSegments, qualifiedPeriods, type RuleKind, type TrainingEvent, type TrainingRule } from "./rule";
import { copyFrom, fragment, inList, isoDateOf, isoInstantOf, type Column, type Sql } from "~/db/sql.server";
import { coverageChanged } from "./report-version.server";

// Keeps CoverageFact (the summary of "trained on date D", see the model in
// prisma/schema.prisma) equal to what the rule gives on the raw rows. Every
// write that can change a person's facts calls refreshFacts for that person
// inside its own transaction; a new rule version gets its facts in the
// transaction that creates it.

export const FACT_COLUMNS: Column<"CoverageFact">[] = [
  { name: "ruleId", type: "text" },
  { name: "membershipId", type: "text" },
  { name: "groupId", type: "text" },
  { name: "personId", type: "text" },
  { name: "provinceId", type: "text" },
  { name: "formerProvinceId", type: "text" },
  { name: "agencyId", type: "text" },
  { name: "joinedDay", type: "int" },
  { name: "leftDay", type: "int" },
  { name: "qualifiedDay", type: "int" },
  { name: "joinedMonth", type: "int" },
  { name: "leftMonth", type: "int" },
  { name: "trainedMonth", type: "int" },
  { name: "segment", type: "int" },
];

export type FactPerson = {
  id: string;
  provinceId: string | null;
  formerProvinceId: string | null;
  agencyId: string | null;
};
export type FactMembership = {
  id: string;
  personId: string;
  groupId: string;
  joinedDay: number | null;
  leftDay: number | null;
};

/** The summary rows of one membership under one rule version, in FACT_COLUMNS order: one per segment. */
export function factRows(
  rule: TrainingRule,
  membership: FactMembership,
  person: FactPerson,
  records: readonly TrainingEvent[],
): unknown[][] {
  const periods = qualifiedPeriods(rule, records);
  return membershipSegments(membership, periods).map((segment, index) => {
    const qualified = segment.qualifiedDay;
    const trainedFrom = qualified === null ? null : Math.max(qualified, segment.joinedDay ?? qualified);
    return [
      rule.id,
      membership.id,
      membership.groupId,
      person.id,
      person.provinceId,
      person.formerProvinceId,
      person.agencyId,
      segment.joinedDay,
      segment.leftDay,
      qualified,
      segment.joinedDay === null ? null : monthOfDay(segment.joinedDay),
      segment.leftDay === null ? null : monthOfDay(segment.leftDay),
      trainedFrom === null ? null : monthOfDay(trainedFrom),
      index,
    ];
  });
}

/** Every rule version in force (not withdrawn), by group, oldest first. */
export async function loadRules(sql: Sql): Promise<Map<string, TrainingRule[]>> {
  const rows = await sql.all(
    sql.db
      .selectFrom("TargetGroupRule")
      .select((eb) => [
        "id",
        "groupId",
        "kind",
        "minCount",
        "courseCodes",
        isoDateOf(sql, eb.ref("schemeStart")).as("schemeStart"),
        isoDateOf(sql, eb.ref("validFrom")).as("validFrom"),
      ])
      .where("withdrawnAt", "is", null)
      .orderBy("validFrom")
      .orderBy("createdAt")
      .orderBy("id"),
  );
  const byGroup = new Map<string, TrainingRule[]>();
  rows.forEach((row, position) => {
    const rule: TrainingRule = {
      id: row.id,
      groupId: row.groupId,
      kind: row.kind as RuleKind,
      minCount: row.minCount === null ? null : Number(row.minCount),
      courseCodes: parseCourseCodes(row.courseCodes),
      schemeStartDay: parseIsoDay(row.schemeStart)!,
      validFromDay: parseIsoDay(row.validFrom)!,
      createdAt: position,
    };
    byGroup.set(rule.groupId, [...(byGroup.get(rule.groupId) ?? []), rule]);
  });
  return byGroup;
}

const StoredCourseCodes = z.array(z.string());

/**
 * TargetGroupRule.courseCodes, lower-cased. Unreadable codes read as none (as
 * they always have): the rule then counts nobody trained, which a coordinator
 * sees in the report and corrects with a new rule version, and a report page
 * keeps working meanwhile.
 */
export function parseCourseCodes(json: string): string[] {
  return parseStoredJsonOr("TargetGroupRule.courseCodes", StoredCourseCodes, json, []).map((code) =>
    code.toLowerCase(),
  );
}

export function serializeCourseCodes(codes: readonly string[]): string {
  return JSON.stringify(codes);
}

// Fact writers share a lock that a new rule version takes alone, so a rule
// never misses the facts of people an import is adding at the same moment.
// SQLite has one writer at a time already. Every writer of facts, groups'
// rules or memberships takes one of the two, and so also raises the reports'
// version as its transaction commits (report-version.server.ts).
const FACTS_LOCK = 727_004;

export async function lockFactsShared(tx: Sql) {
  coverageChanged(tx);
  if (tx.dialect === "postgresql")
    await tx.all(fragment`SELECT pg_advisory_xact_lock_shared(${fragment.lit(FACTS_LOCK)})`);
}

export async function lockFactsExclusive(tx: Sql) {
  coverageChanged(tx);
  if (tx.dialect === "postgresql") await tx.all(fragment`SELECT pg_advisory_xact_lock(${fragment.lit(FACTS_LOCK)})`);
}

/**
 * Locks existing people (in id order, so two writers cannot deadlock) before
 * their records or memberships change: two transactions adding records for
 * one person would otherwise each rewrite the facts without the other's record.
 */
export async function lockPersons(tx: Sql, personIds: readonly string[]) {
  if (tx.dialect !== "postgresql" || personIds.length === 0) return;
  await tx.all(
    tx.db
      .selectFrom("RosterPerson")
      .select("id")
      .where((eb) => inList(tx, eb.ref("id"), personIds))
      .orderBy("id")
      .forUpdate(),
  );
}

const REFRESH_CHUNK = 5_000;

/** Rewrites the facts of these people from their rows. Call inside the transaction that changed them. */
export async function refreshFacts(tx: Sql, personIds: readonly string[]): Promise<void> {
  if (personIds.length === 0) return;
  await lockFactsShared(tx);
  const rules = await loadRules(tx);
  for (let start = 0; start < personIds.length; start += REFRESH_CHUNK) {
    const { persons, memberships, records } = await loadPeople(tx, personIds.slice(start, start + REFRESH_CHUNK));
    const membershipIds = memberships.map((m) => m.id);
    await tx.run(tx.db.deleteFrom("CoverageFact").where((eb) => inList(tx, eb.ref("membershipId"), membershipIds)));
    await tx.insertMany("CoverageFact", FACT_COLUMNS, allFactRows(rules, persons, memberships, records));
  }
}

/**
 * Facts for people whose memberships this transaction has just created (a
 * roster import): the caller passes what it wrote, so only their training
 * records are read, and there are no old facts to delete.
 */
export async function writeFactsForNewMemberships(
  tx: Sql,
  persons: readonly FactPerson[],
  memberships: readonly FactMembership[],
): Promise<void> {
  if (memberships.length === 0) return;
  await lockFactsShared(tx);
  const rules = await loadRules(tx);
  const records = await loadRecords(
    tx,
    persons.map((p) => p.id),
  );
  const rows = allFactRows(rules, new Map(persons.map((p) => [p.id, p])), memberships, records);
  // New rows only, tens of thousands in an import's slice: COPY on PostgreSQL (decision 130).
  if (tx.dialect === "postgresql")
    await copyFrom(
      tx,
      "CoverageFact",
      FACT_COLUMNS.map((c) => c.name),
      rows,
    );
  else await tx.insertMany("CoverageFact", FACT_COLUMNS, rows);
}

function allFactRows(
  rules: Map<string, TrainingRule[]>,
  persons: Map<string, FactPerson>,
  memberships: readonly FactMembership[],
  records: Map<string, TrainingEvent[]>,
): unknown[][] {
  const rows: unknown[][] = [];
  for (const membership of memberships) {
    const person = persons.get(membership.personId)!;
    for (const rule of rules.get(membership.groupId) ?? [])
      rows.push(...factRows(rule, membership, person, records.get(membership.personId) ?? []));
  }
  return rows;
}

/** Writes the facts of a new rule version for every member of its group. */
export async function buildFactsForRule(tx: Sql, rule: TrainingRule): Promise<number> {
  await lockFactsExclusive(tx);
  let after = "";
  let written = 0;
  for (;;) {
    const page = await tx.all(
      tx.db
        .selectFrom("GroupMembership")
        .select("personId")
        .distinct()
        .where("groupId", "=", rule.groupId)
        .where("personId", ">", after)
        .orderBy("personId")
        .limit(REFRESH_CHUNK),
    );
    if (page.length === 0) return written;
    const ids = page.map((p) => p.personId);
    const { persons, memberships, records } = await loadPeople(tx, ids);
    const rows = memberships
      .filter((m) => m.groupId === rule.groupId)
      .flatMap((m) => factRows(rule, m, persons.get(m.personId)!, records.get(m.personId) ?? []));
    written += await tx.insertMany("CoverageFact", FACT_COLUMNS, rows);
    after = ids[ids.length - 1]!;
  }
}

/** People, their memberships and their training records, as the rule reads them. */
export async function loadPeople(sql: Sql, ids: readonly string[]) {
  const [personRows, membershipRows, records] = [
    await sql.all(
      sql.db
        .selectFrom("RosterPerson")
        .select(["id", "provinceId", "formerProvinceId", "agencyId"])
        .where((eb) => inList(sql, eb.ref("id"), ids)),
    ),
    await sql.all(
      sql.db
        .selectFrom("GroupMembership")
        .select((eb) => [
          "id",
          "personId",
          "groupId",
          isoDateOf(sql, eb.ref("joinedOn")).as("joinedOn"),
          isoDateOf(sql, eb.ref("leftOn")).as("leftOn"),
        ])
        .where((eb) => inList(sql, eb.ref("personId"), ids)),
    ),
    await loadRecords(sql, ids),
  ];
  const persons = new Map(personRows.map((p) => [p.id, p]));
  const memberships: FactMembership[] = membershipRows.map((m) => ({
    id: m.id,
    personId: m.personId,
    groupId: m.groupId,
    joinedDay: m.joinedOn ? parseIsoDay(m.joinedOn) : null,
    leftDay: m.leftOn ? parseIsoDay(m.leftOn) : null,
  }));
  return { persons, memberships, records };
}

/** Training records by person, as the rule reads them. */
async function loadRecords(sql: Sql, ids: readonly string[]): Promise<Map<string, TrainingEvent[]>> {
  const rows = await sql.all(
    sql.db
      .selectFrom("TrainingRecord")
      .select((eb) => [
        "personId",
        "courseCode",
        isoDateOf(sql, eb.ref("completedOn")).as("completedOn"),
        isoInstantOf(sql, eb.ref("voidedAt")).as("voidedAt"),
      ])
      .where((eb) => inList(sql, eb.ref("personId"), ids)),
  );
  const records = new Map<string, TrainingEvent[]>();
  for (const r of rows) {
    const list = records.get(r.personId) ?? [];
    list.push({
      courseCode: r.courseCode,
      day: parseIsoDay(r.completedOn)!,
      voidDay: r.voidedAt === null ? null : vietnamDay(new Date(r.voidedAt)),
    });
    records.set(r.personId, list);
  }
  return records;
}
