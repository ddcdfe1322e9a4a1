import { parseIsoDay, vietnamDay } from "./dates";
import { recordsOf } from "./records.server";
import type { Expression, ExpressionBuilder, SqlBool } from "kysely";
import { loadGroups, PERSON_COLUMNS, personsWithUnits, type PersonRow } from "./report.server";
import { isMemberOn, isTrainedOn, ruleInForce } from "./rule";
import { scopeFilter, type Actor } from "./scope.server";
import { fragment, getReportSql, inList, isoDateOf, num, type DB } from "~/db/sql.server";

// The roster as a coordinator sees it: only people in their scope.

export type RosterListItem = PersonRow & { groups: string; linked: boolean };

export async function listRoster(
  actor: Actor,
  filter: { q?: string; linked?: "yes" | "no" },
  page: { limit: number; offset: number } | null,
): Promise<{ total: number; people: RosterListItem[] }> {
  const sql = getReportSql();
  const where = (eb: ExpressionBuilder<DB & { p: DB["RosterPerson"] }, "p">): Expression<SqlBool> => {
    const parts = [scopeFilter(actor, eb.ref("p.provinceId"), eb.ref("p.agencyId"))];
    if (filter.q) {
      const pattern = `%${filter.q.replace(/[%_\\]/g, "")}%`;
      parts.push(
        eb.or([
          eb("p.personnelCode", "=", filter.q),
          eb(eb.fn("lower", ["p.fullName"]), "like", eb.fn("lower", [eb.val(pattern)])),
        ]),
      );
    }
    if (filter.linked) parts.push(eb("p.userId", filter.linked === "yes" ? "is not" : "is", null));
    return eb.and(parts);
  };
  const count = await sql.first(
    sql.db
      .selectFrom("RosterPerson as p")
      .select((eb) => eb.fn.countAll().as("total"))
      .where(where),
  );
  const rows = await sql.all(
    personsWithUnits(sql)
      .select(PERSON_COLUMNS)
      .select("p.userId")
      .where(where)
      .orderBy("p.personnelCode")
      .$if(page !== null, (qb) =>
        qb.limit(fragment.lit(Math.floor(page!.limit))).offset(fragment.lit(Math.floor(page!.offset))),
      ),
  );
  const groups = new Map<string, string[]>();
  for (let start = 0; start < rows.length; start += 5_000) {
    const ids = rows.slice(start, start + 5_000).map((r) => r.id);
    const memberships = await sql.all(
      sql.db
        .selectFrom("GroupMembership as m")
        .innerJoin("TargetGroup as g", "g.id", "m.groupId")
        .select(["m.personId", "g.code"])
        .where((eb) => inList(sql, eb.ref("m.personId"), ids))
        .orderBy("g.position")
        .orderBy("g.code"),
    );
    for (const m of memberships) groups.set(m.personId, [...(groups.get(m.personId) ?? []), m.code]);
  }
  return {
    total: num(count?.total),
    people: rows.map(({ userId, ...row }) => ({
      ...row,
      groups: (groups.get(row.id) ?? []).join("; "),
      linked: userId !== null,
    })),
  };
}

export type PersonDetail = Awaited<ReturnType<typeof getPerson>>;

/** One person with their groups, trainings and status on `day`; null when not in the actor's scope. */
export async function getPerson(actor: Actor, personId: string, day: number) {
  const sql = getReportSql();
  const person = await sql.first(
    personsWithUnits(sql)
      .leftJoin("User as u", "u.id", "p.userId")
      .select(PERSON_COLUMNS)
      .select(["p.position", "p.provinceRaw", "p.inviteToken", "u.email as accountEmail"])
      .where((eb) =>
        eb.and([eb("p.id", "=", personId), scopeFilter(actor, eb.ref("p.provinceId"), eb.ref("p.agencyId"))]),
      ),
  );
  if (!person) return null;
  const [memberships, records, groups] = await Promise.all([
    sql.all(
      sql.db
        .selectFrom("GroupMembership")
        .select((eb) => [
          "groupId",
          isoDateOf(sql, eb.ref("joinedOn")).as("joinedOn"),
          isoDateOf(sql, eb.ref("leftOn")).as("leftOn"),
        ])
        .where("personId", "=", personId),
    ),
    recordsOf([personId], sql).then((byPerson) => byPerson.get(personId) ?? []),
    loadGroups(sql),
  ]);
  const events = records.map((r) => ({
    courseCode: r.courseCode,
    day: parseIsoDay(r.completedOn)!,
    voidDay: r.voided ? vietnamDay(new Date(r.voided.at)) : null,
  }));
  return {
    ...person,
    linked: person.accountEmail !== null,
    records,
    groups: memberships.flatMap((m) => {
      const group = groups.find((g) => g.id === m.groupId);
      if (!group || group.rules.length === 0) return [];
      const membership = {
        joinedDay: m.joinedOn ? parseIsoDay(m.joinedOn) : null,
        leftDay: m.leftOn ? parseIsoDay(m.leftOn) : null,
      };
      const status = !isMemberOn(membership, day)
        ? ("notMember" as const)
        : isTrainedOn(membership, ruleInForce(group.rules, day), events, day)
          ? ("trainedToday" as const)
          : ("notTrained" as const);
      return [
        {
          code: group.code,
          nameVi: group.nameVi,
          nameEn: group.nameEn,
          joinedOn: m.joinedOn,
          leftOn: m.leftOn,
          status,
        },
      ];
    }),
  };
}
