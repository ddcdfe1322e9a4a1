import { parseEvidence, type Provenance, type TrainingSourceCode, type Void } from "./provenance";
import { PERSON_COLUMNS, PERSON_JOINS, type PersonRow } from "./report.server";
import { scopeFilter, type Actor } from "./scope.server";
import { getSql, type Sql } from "~/db/sql.server";
import { inList, isoDateOf, isoInstantOf, listParam } from "~/db/legacy-sql.server";

// Training records with where they came from and whether they were voided,
// as the person page and the exports show them.

export type RecordWithProvenance = {
  id: string;
  personId: string;
  courseCode: string;
  completedOn: string;
  mode: string;
  provenance: Provenance;
  voided: Void | null;
};

type Row = {
  id: string;
  personId: string;
  courseCode: string;
  completedOn: string;
  mode: string;
  source: TrainingSourceCode;
  completionId: string | null;
  certificateCode: string | null;
  evidence: string | null;
  importId: string | null;
  importRow: unknown;
  fileName: string | null;
  importedAt: string | null;
  importedBy: string | null;
  enteredBy: string | null;
  entryReason: string | null;
  voidedAt: string | null;
  voidedBy: string | null;
  voidReason: string | null;
};

function selectRecords(sql: Sql, where: string): string {
  return `SELECT t."id", t."personId", t."courseCode", ${isoDateOf(sql, `t."completedOn"`)} AS "completedOn", t."mode", t."source",
                 t."completionId", cc."certificateCode", t."evidence", t."importId", t."importRow", di."fileName",
                 ${isoInstantOf(sql, `di."createdAt"`)} AS "importedAt", iu."email" AS "importedBy",
                 eu."email" AS "enteredBy", t."entryReason",
                 ${isoInstantOf(sql, `t."voidedAt"`)} AS "voidedAt", vu."email" AS "voidedBy", t."voidReason"
            FROM "TrainingRecord" t
            LEFT JOIN "CourseCompletion" cc ON cc."id" = t."completionId"
            LEFT JOIN "DataImport" di ON di."id" = t."importId"
            LEFT JOIN "User" iu ON iu."id" = di."createdById"
            LEFT JOIN "User" eu ON eu."id" = t."enteredById"
            LEFT JOIN "User" vu ON vu."id" = t."voidedById"
           WHERE ${where}`;
}

function toRecord(r: Row): RecordWithProvenance {
  const provenance: Provenance =
    r.source === "ONLINE"
      ? { source: "ONLINE", completionId: r.completionId, certificateCode: r.certificateCode, evidence: parseEvidence(r.evidence) }
      : r.source === "MANUAL"
        ? { source: "MANUAL", enteredBy: r.enteredBy, reason: r.entryReason }
        : {
            source: "IMPORT",
            importId: r.importId,
            fileName: r.fileName,
            row: r.importRow === null ? null : Number(r.importRow),
            importedBy: r.importedBy,
            importedAt: r.importedAt === null ? null : new Date(r.importedAt).toISOString(),
          };
  return {
    id: r.id,
    personId: r.personId,
    courseCode: r.courseCode,
    completedOn: r.completedOn,
    mode: r.mode,
    provenance,
    voided: r.voidedAt === null ? null : { at: new Date(r.voidedAt).toISOString(), by: r.voidedBy, reason: r.voidReason ?? "" },
  };
}

/** The records of these people (already scoped by the caller), by person, oldest first. */
export async function recordsOf(personIds: readonly string[], sql: Sql = getSql()): Promise<Map<string, RecordWithProvenance[]>> {
  const byPerson = new Map<string, RecordWithProvenance[]>();
  for (let start = 0; start < personIds.length; start += 5_000) {
    const part = personIds.slice(start, start + 5_000);
    const rows = await sql.all<Row>(`${selectRecords(sql, inList(sql, `t."personId"`))} ORDER BY t."completedOn", t."courseCode"`, [listParam(sql, part)]);
    for (const row of rows) byPerson.set(row.personId, [...(byPerson.get(row.personId) ?? []), toRecord(row)]);
  }
  return byPerson;
}

export type RecordListItem = RecordWithProvenance & { person: PersonRow };

/** Every training record of the people in the actor's scope (the records export), by person. */
export async function recordsInScope(actor: Actor): Promise<RecordListItem[]> {
  const sql = getSql();
  const scope = scopeFilter(actor, "p");
  const people = await sql.all<PersonRow>(
    `SELECT ${PERSON_COLUMNS} FROM "RosterPerson" p ${PERSON_JOINS}
      WHERE ${scope.sql} AND EXISTS (SELECT 1 FROM "TrainingRecord" t WHERE t."personId" = p."id")
      ORDER BY p."personnelCode"`,
    scope.params,
  );
  const records = await recordsOf(
    people.map((p) => p.id),
    sql,
  );
  return people.flatMap((person) => (records.get(person.id) ?? []).map((record) => ({ ...record, person })));
}
