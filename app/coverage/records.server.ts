import { parseEvidence, type Provenance, type Void } from "./provenance";
import { PERSON_COLUMNS, personsWithUnits, type PersonRow } from "./report.server";
import { scopeFilter, type Actor } from "./scope.server";
import { fragment, getReportSql, inList, isoDateOf, isoInstantOf, type Sql } from "~/db/sql.server";

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

/** Records (alias t) with what their provenance names: the completion's certificate, the import, the users. */
function selectRecords(sql: Sql) {
  return sql.db
    .selectFrom("TrainingRecord as t")
    .leftJoin("CourseCompletion as cc", "cc.id", "t.completionId")
    .leftJoin("DataImport as di", "di.id", "t.importId")
    .leftJoin("User as iu", "iu.id", "di.createdById")
    .leftJoin("User as eu", "eu.id", "t.enteredById")
    .leftJoin("User as vu", "vu.id", "t.voidedById")
    .select((eb) => [
      "t.id",
      "t.personId",
      "t.courseCode",
      isoDateOf(sql, eb.ref("t.completedOn")).as("completedOn"),
      "t.mode",
      "t.source",
      "t.completionId",
      "cc.certificateCode",
      "t.evidence",
      "t.importId",
      "t.importRow",
      "di.fileName",
      isoInstantOf(sql, eb.ref("di.createdAt")).as("importedAt"),
      "iu.email as importedBy",
      "eu.email as enteredBy",
      "t.entryReason",
      isoInstantOf(sql, eb.ref("t.voidedAt")).as("voidedAt"),
      "vu.email as voidedBy",
      "t.voidReason",
    ]);
}

type Row = Awaited<ReturnType<ReturnType<typeof selectRecords>["execute"]>>[number];

function toRecord(r: Row): RecordWithProvenance {
  const provenance: Provenance =
    r.source === "ONLINE"
      ? {
          source: "ONLINE",
          completionId: r.completionId,
          certificateCode: r.certificateCode,
          evidence: parseEvidence(r.evidence),
        }
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
    voided:
      r.voidedAt === null
        ? null
        : { at: new Date(r.voidedAt).toISOString(), by: r.voidedBy, reason: r.voidReason ?? "" },
  };
}

/** The records of these people (already scoped by the caller), by person, oldest first. */
export async function recordsOf(
  personIds: readonly string[],
  sql: Sql = getReportSql(),
): Promise<Map<string, RecordWithProvenance[]>> {
  const byPerson = new Map<string, RecordWithProvenance[]>();
  for (let start = 0; start < personIds.length; start += 5_000) {
    const part = personIds.slice(start, start + 5_000);
    const rows = await sql.all(
      selectRecords(sql)
        .where((eb) => inList(sql, eb.ref("t.personId"), part))
        .orderBy("t.completedOn")
        .orderBy("t.courseCode"),
    );
    for (const row of rows) byPerson.set(row.personId, [...(byPerson.get(row.personId) ?? []), toRecord(row)]);
  }
  return byPerson;
}

export type RecordListItem = RecordWithProvenance & { person: PersonRow };

/** Every training record of the people in the actor's scope (the records export), by person. */
export async function recordsInScope(actor: Actor): Promise<RecordListItem[]> {
  const sql = getReportSql();
  const people: PersonRow[] = await sql.all(
    personsWithUnits(sql)
      .select(PERSON_COLUMNS)
      .where((eb) =>
        eb.and([
          scopeFilter(actor, eb.ref("p.provinceId"), eb.ref("p.agencyId")),
          eb.exists(
            eb.selectFrom("TrainingRecord as t").select(fragment.lit(1).as("one")).whereRef("t.personId", "=", "p.id"),
          ),
        ]),
      )
      .orderBy("p.personnelCode"),
  );
  const records = await recordsOf(
    people.map((p) => p.id),
    sql,
  );
  return people.flatMap((person) => (records.get(person.id) ?? []).map((record) => ({ ...record, person })));
}
