import { sortableId } from "~/utils/ids.server";
import { auditInSql } from "./audit-sql.server";
import type { AuditActor } from "~/audit/audit.server";
import { dateOfDay, vietnamDay } from "./dates";
import { lockFactsShared, lockPersons, refreshFacts } from "./facts.server";
import { serializeEvidence, watchedPercentOf, type OnlineEvidence } from "./provenance";
import { inScope, type Actor } from "./scope.server";
import type { Expression, ExpressionBuilder, SqlBool } from "kysely";
import { fragment, getSql, inList, isoInstantOf, num, type Column, type DB, type Sql } from "~/db/sql.server";

// Training records are the numerators of coverage: a course finished online
// by a linked account, or a training imported from a file (in-person events
// count too). One record per person, course and day, and each says where it
// came from (docs/decisions/025-training-provenance.md).

export type TrainingModeCode = "ONLINE" | "IN_PERSON" | "IMPORTED";

export type TrainingProvenance =
  | { source: "ONLINE"; completionId: string; evidence: OnlineEvidence | null }
  | { source: "IMPORT"; importId: string | null; row: number | null }
  | { source: "MANUAL"; enteredById: string; reason: string };

export type NewTrainingRecord = {
  personId: string;
  courseCode: string;
  day: number;
  mode: TrainingModeCode;
  provenance: TrainingProvenance;
};

const RECORD_COLUMNS: Column<"TrainingRecord">[] = [
  { name: "id", type: "text" },
  { name: "personId", type: "text" },
  { name: "courseCode", type: "text" },
  { name: "completedOn", type: "timestamp" },
  { name: "mode", type: "TrainingMode" },
  { name: "createdAt", type: "timestamp" },
  { name: "source", type: "TrainingSource" },
  { name: "completionId", type: "text" },
  { name: "evidence", type: "text" },
  { name: "importId", type: "text" },
  { name: "importRow", type: "int" },
  { name: "enteredById", type: "text" },
  { name: "entryReason", type: "text" },
];

function provenanceCells(p: TrainingProvenance): unknown[] {
  return [
    p.source,
    p.source === "ONLINE" ? p.completionId : null,
    p.source === "ONLINE" && p.evidence ? serializeEvidence(p.evidence) : null,
    p.source === "IMPORT" ? p.importId : null,
    p.source === "IMPORT" ? p.row : null,
    p.source === "MANUAL" ? p.enteredById : null,
    p.source === "MANUAL" ? p.reason : null,
  ];
}

/**
 * Inserts records that are not there yet; returns how many were new. A record
 * already there for the person, course and day stays as it is, voided or not:
 * importing the same row again never brings back a voided record. Facts are
 * the caller's to refresh.
 */
export async function insertTrainingRecords(tx: Sql, records: readonly NewTrainingRecord[]): Promise<number> {
  const now = new Date();
  return tx.insertMany(
    "TrainingRecord",
    RECORD_COLUMNS,
    records.map((r) => [
      sortableId(),
      r.personId,
      r.courseCode.toLowerCase(),
      dateOfDay(r.day),
      r.mode,
      now,
      ...provenanceCells(r.provenance),
    ]),
    { skipConflictsOn: ["personId", "courseCode", "completedOn"] },
  );
}

/** What a learner's completion of a course rests on, read now: per lesson the share watched, the playing time, the best check score. */
export async function onlineEvidence(
  tx: Sql,
  userId: string,
  courseId: string,
  at = new Date(),
): Promise<OnlineEvidence> {
  const rows = await tx.all(
    tx.db
      .selectFrom("Lesson as l")
      .leftJoin("LessonProgress as lp", (join) => join.onRef("lp.lessonId", "=", "l.id").on("lp.userId", "=", userId))
      .select((eb) => [
        "l.id as lessonId",
        "l.title",
        "l.titleEn",
        "l.durationSeconds",
        "lp.watchedSeconds",
        "lp.viewSeconds",
        eb
          .selectFrom("QuizAttempt as q")
          .select((q) => q.fn.max("q.scorePercent").as("best"))
          .where("q.userId", "=", userId)
          .whereRef("q.lessonId", "=", "l.id")
          .as("bestScore"),
        eb
          .selectFrom("QuizAttempt as q")
          .select((q) => q.fn.countAll().as("n"))
          .where("q.userId", "=", userId)
          .whereRef("q.lessonId", "=", "l.id")
          .as("attempts"),
      ])
      .where("l.courseId", "=", courseId)
      .orderBy("l.position")
      .orderBy("l.id"),
  );
  const lessons = rows.map((r) => {
    const durationSeconds = r.durationSeconds === null ? null : Number(r.durationSeconds);
    const watchedSeconds = num(r.watchedSeconds);
    return {
      lessonId: r.lessonId,
      title: r.title,
      titleEn: r.titleEn,
      durationSeconds,
      watchedSeconds,
      watchedPercent: watchedPercentOf(watchedSeconds, durationSeconds),
      viewSeconds: num(r.viewSeconds),
      quizScorePercent: r.bestScore === null ? null : num(r.bestScore),
      quizAttempts: num(r.attempts),
    };
  });
  return { takenAt: at.toISOString(), viewSeconds: lessons.reduce((sum, l) => sum + l.viewSeconds, 0), lessons };
}

export type CompletionRef = { id: string; userId: string; courseId: string; courseCode: string; completedAt: Date };

/**
 * Completing a course online is a training record for the roster person
 * linked to the learner's account, if any, on the day it happened in Vietnam,
 * with the completion's evidence. Runs in the caller's transaction (the one
 * that writes the completion). Idempotent per person, course, day.
 */
export async function recordOnlineTraining(tx: Sql, completion: CompletionRef): Promise<boolean> {
  const person = await tx.first(tx.db.selectFrom("RosterPerson").select("id").where("userId", "=", completion.userId));
  if (!person) return false;
  await lockFactsShared(tx);
  await lockPersons(tx, [person.id]);
  const evidence = await onlineEvidence(tx, completion.userId, completion.courseId);
  const inserted = await insertTrainingRecords(tx, [
    {
      personId: person.id,
      courseCode: completion.courseCode,
      day: vietnamDay(completion.completedAt),
      mode: "ONLINE",
      provenance: { source: "ONLINE", completionId: completion.id, evidence },
    },
  ]);
  if (inserted > 0) await refreshFacts(tx, [person.id]);
  return inserted > 0;
}

type CompletionRow = {
  personId: string;
  userId: string;
  completionId: string;
  courseId: string;
  code: string;
  completedAt: string;
};

type CompletionTables = DB & { p: DB["RosterPerson"]; cc: DB["CourseCompletion"]; c: DB["Course"] };
type CompletionCondition = (eb: ExpressionBuilder<CompletionTables, "p" | "cc" | "c">) => Expression<SqlBool>;

/** Completions of these people's linked accounts, as the training records they should have; a revoked certificate gives none. */
async function linkedCompletions(tx: Sql, where: CompletionCondition): Promise<CompletionRow[]> {
  return tx.all(
    tx.db
      .selectFrom("RosterPerson as p")
      .innerJoin("CourseCompletion as cc", "cc.userId", "p.userId")
      .innerJoin("Course as c", "c.id", "cc.courseId")
      .select((eb) => [
        "p.id as personId",
        "cc.userId as userId",
        "cc.id as completionId",
        "cc.courseId as courseId",
        "c.code as code",
        isoInstantOf(tx, eb.ref("cc.completedAt")).as("completedAt"),
      ])
      .where((eb) => eb.and([eb("cc.revokedAt", "is", null), where(eb)]))
      .orderBy("p.id")
      .orderBy("cc.completedAt"),
  );
}

async function recordsForCompletions(tx: Sql, rows: readonly CompletionRow[], at: Date): Promise<number> {
  const records: NewTrainingRecord[] = [];
  for (const r of rows) {
    records.push({
      personId: r.personId,
      courseCode: r.code,
      day: vietnamDay(new Date(r.completedAt)),
      mode: "ONLINE",
      provenance: {
        source: "ONLINE",
        completionId: r.completionId,
        evidence: await onlineEvidence(tx, r.userId, r.courseId, at),
      },
    });
  }
  return insertTrainingRecords(tx, records);
}

/** Records for the courses linked accounts finished before they were linked. Facts are the caller's to refresh. */
export async function backfillOnlineTraining(tx: Sql, personIds: readonly string[]): Promise<number> {
  if (personIds.length === 0) return 0;
  return recordsForCompletions(
    tx,
    await linkedCompletions(tx, (eb) => inList(tx, eb.ref("p.id"), personIds)),
    new Date(),
  );
}

// ---------------------------------------------------------------- completions without a record

const MISSING: CompletionCondition = (eb) =>
  eb.not(
    eb.exists(
      eb
        .selectFrom("TrainingRecord as t")
        .select(fragment.lit(1).as("one"))
        .whereRef("t.personId", "=", "p.id")
        .where((t) =>
          t.or([
            t("t.completionId", "=", t.ref("cc.id")),
            t("t.courseCode", "=", t.fn<string>("lower", [t.ref("c.code")])),
          ]),
        ),
    ),
  );

export type MissingRecord = { personId: string; completionId: string; courseCode: string; completedAt: string };

/**
 * Completions of linked people that have no training record for that course
 * (a crash before completions and records shared a transaction, or a bug).
 * A voided record is a record: a void is never undone by this.
 */
export async function completionsWithoutRecord(sql: Sql = getSql()): Promise<MissingRecord[]> {
  return (await linkedCompletions(sql, MISSING)).map((r) => ({
    personId: r.personId,
    completionId: r.completionId,
    courseCode: r.code,
    completedAt: r.completedAt,
  }));
}

/** Online records whose completion is gone (the account or the course was deleted): they still count, on their snapshot. */
export async function onlineRecordsWithoutCompletion(
  sql: Sql = getSql(),
): Promise<{ id: string; personId: string; courseCode: string }[]> {
  return sql.all(
    sql.db
      .selectFrom("TrainingRecord")
      .select(["id", "personId", "courseCode"])
      .where("source", "=", fragment.lit("ONLINE"))
      .where("completionId", "is", null)
      .orderBy("id"),
  );
}

/** Creates the missing records (dated the completion's Vietnam day, provenance online) and their facts; returns what it created. */
export async function repairMissingRecords(sql: Sql = getSql()): Promise<MissingRecord[]> {
  return sql.transaction(async (tx) => {
    await lockFactsShared(tx);
    const missing = await linkedCompletions(tx, MISSING);
    const personIds = [...new Set(missing.map((m) => m.personId))];
    await lockPersons(tx, personIds);
    await recordsForCompletions(tx, missing, new Date());
    await refreshFacts(tx, personIds);
    return missing.map((r) => ({
      personId: r.personId,
      completionId: r.completionId,
      courseCode: r.code,
      completedAt: r.completedAt,
    }));
  });
}

// ---------------------------------------------------------------- voiding

export type VoidOutcome = "voided" | "alreadyVoided" | "notFound";

/**
 * Voids a record of a person in the actor's scope, with a reason: it stops
 * counting from today (Vietnam) and counts as before on earlier days. The
 * record, the facts and the audit entry change in one transaction. Voiding a
 * voided record changes nothing; there is no undo.
 */
export async function voidTrainingRecord(
  actor: Actor,
  target: { personId: string; recordId: string },
  reason: string,
  by: AuditActor,
  at = new Date(),
): Promise<VoidOutcome> {
  const { recordId } = target;
  return getSql().transaction(async (tx) => {
    await lockFactsShared(tx);
    const found = await tx.first(tx.db.selectFrom("TrainingRecord").select("personId").where("id", "=", recordId));
    if (!found || found.personId !== target.personId) return "notFound";
    await lockPersons(tx, [found.personId]);
    const record = await tx.first(
      tx.db
        .selectFrom("TrainingRecord as t")
        .innerJoin("RosterPerson as p", "p.id", "t.personId")
        .select(["t.personId", "t.courseCode", "t.voidedAt", "p.provinceId", "p.agencyId"])
        .where("t.id", "=", recordId),
    );
    if (!record || !inScope(actor, record)) return "notFound";
    if (record.voidedAt !== null) return "alreadyVoided";
    await tx.run(
      tx.db
        .updateTable("TrainingRecord")
        .set({ voidedAt: at, voidedById: by.id, voidReason: reason })
        .where("id", "=", recordId)
        .where("voidedAt", "is", null),
    );
    await refreshFacts(tx, [record.personId]);
    await auditInSql(tx, {
      actor: by,
      action: "training.void",
      target: { type: "TrainingRecord", id: recordId },
      scope: { provinceId: record.provinceId, agencyId: record.agencyId },
      details: { person: record.personId, course: record.courseCode, reason },
    });
    return "voided";
  });
}
