import { parseIsoDay, vietnamDay } from "./dates";
import { recordsOf } from "./records.server";
import { loadGroups, PERSON_COLUMNS, PERSON_JOINS, type PersonRow } from "./report.server";
import { isMemberOn, isTrainedOn, ruleInForce } from "./rule";
import { scopeFilter, type Actor } from "./scope.server";
import { getSql, num } from "~/db/sql.server";
import { inList, isoDateOf, listParam } from "~/db/legacy-sql.server";

// The roster as a coordinator sees it: only people in their scope.

export type RosterListItem = PersonRow & { groups: string; linked: boolean };

export async function listRoster(
  actor: Actor,
  filter: { q?: string; linked?: "yes" | "no" },
  page: { limit: number; offset: number } | null,
): Promise<{ total: number; people: RosterListItem[] }> {
  const sql = getSql();
  const scope = scopeFilter(actor, "p");
  const parts = [scope.sql];
  const params: unknown[] = [...scope.params];
  if (filter.q) {
    parts.push(`(p."personnelCode" = ? OR lower(p."fullName") LIKE lower(?))`);
    params.push(filter.q, `%${filter.q.replace(/[%_\\]/g, "")}%`);
  }
  if (filter.linked) parts.push(filter.linked === "yes" ? `p."userId" IS NOT NULL` : `p."userId" IS NULL`);
  const where = parts.join(" AND ");
  const [count] = await sql.all<{ total: unknown }>(`SELECT COUNT(*) AS "total" FROM "RosterPerson" p WHERE ${where}`, params);
  const rows = await sql.all<Omit<RosterListItem, "groups" | "linked"> & { userId: string | null }>(
    `SELECT ${PERSON_COLUMNS}, p."userId" FROM "RosterPerson" p ${PERSON_JOINS} WHERE ${where}
      ORDER BY p."personnelCode"
      ${page ? `LIMIT ${Math.floor(page.limit)} OFFSET ${Math.floor(page.offset)}` : ""}`,
    params,
  );
  const groups = new Map<string, string[]>();
  for (let start = 0; start < rows.length; start += 5_000) {
    const ids = rows.slice(start, start + 5_000).map((r) => r.id);
    const memberships = await sql.all<{ personId: string; code: string }>(
      `SELECT m."personId", g."code" FROM "GroupMembership" m JOIN "TargetGroup" g ON g."id" = m."groupId"
        WHERE ${inList(sql, `m."personId"`)} ORDER BY g."position", g."code"`,
      [listParam(sql, ids)],
    );
    for (const m of memberships) groups.set(m.personId, [...(groups.get(m.personId) ?? []), m.code]);
  }
  return {
    total: num(count?.total),
    people: rows.map(({ userId, ...row }) => ({ ...row, groups: (groups.get(row.id) ?? []).join("; "), linked: userId !== null })),
  };
}

export type PersonDetail = Awaited<ReturnType<typeof getPerson>>;

/** One person with their groups, trainings and status on `day`; null when not in the actor's scope. */
export async function getPerson(actor: Actor, personId: string, day: number) {
  const sql = getSql();
  const scope = scopeFilter(actor, "p");
  const [person] = await sql.all<
    PersonRow & { position: string | null; provinceRaw: string; inviteToken: string | null; accountEmail: string | null }
  >(
    `SELECT ${PERSON_COLUMNS}, p."position", p."provinceRaw", p."inviteToken", u."email" AS "accountEmail"
       FROM "RosterPerson" p ${PERSON_JOINS}
       LEFT JOIN "User" u ON u."id" = p."userId"
      WHERE p."id" = ? AND ${scope.sql}`,
    [personId, ...scope.params],
  );
  if (!person) return null;
  const [memberships, records, groups] = await Promise.all([
    sql.all<{ groupId: string; joinedOn: string | null; leftOn: string | null }>(
      `SELECT "groupId", ${isoDateOf(sql, `"joinedOn"`)} AS "joinedOn", ${isoDateOf(sql, `"leftOn"`)} AS "leftOn" FROM "GroupMembership" WHERE "personId" = ?`,
      [personId],
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
      return [{ code: group.code, nameVi: group.nameVi, nameEn: group.nameEn, joinedOn: m.joinedOn, leftOn: m.leftOn, status }];
    }),
  };
}
