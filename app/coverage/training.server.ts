import { sortableId } from "~/utils/ids.server";
import { auditInSql } from "./audit-sql.server";
import type { AuditActor } from "~/audit/audit.server";
import { dateOfDay, vietnamDay } from "./dates";
import { lockFactsShared, lockPersons, refreshFacts } from "./facts.server";
import { serializeEvidence, watchedPercentOf, type OnlineEvidence } from "./provenance";
import { inScope, type Actor } from "./scope.server";
import { getSql, num, type Column, type Sql } from "~/db/sql.server";
import { inList, isoInstantOf, listParam } from "~/db/legacy-sql.server";

// Training records are the numerators of coverage: a course finished online
// by a linked account, or a training imported from a file (in-person events
// count too). One record per person, course and day, and each says where it
// came from (docs/decisions/025-training-provenance.md).

export type TrainingModeCode = "ONLINE" | "IN_PERSON" | "IMPORTED";

export type TrainingProvenance =
  | { source: "ONLINE"; completionId: string; evidence: OnlineEvidence | null }
  | { source: "IMPORT"; importId: string | null; row: number | null }
  | { source: "MANUAL"; enteredById: string; reason: string };

export type NewTrainingRecord = { personId: string; courseCode: string; day: number; mode: TrainingModeCode; provenance: TrainingProvenance };

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
    records.map((r) => [sortableId(), r.personId, r.courseCode.toLowerCase(), dateOfDay(r.day), r.mode, now, ...provenanceCells(r.provenance)]),
    { skipConflictsOn: ["personId", "courseCode", "completedOn"] },
  );
}

type EvidenceRow = {
  lessonId: string;
  title: string;
  titleEn: string | null;
  durationSeconds: number | null;
  watchedSeconds: unknown;
  viewSeconds: unknown;
  bestScore: unknown;
  attempts: unknown;
};

/** What a learner's completion of a course rests on, read now: per lesson the share watched, the playing time, the best check score. */
export async function onlineEvidence(tx: Sql, userId: string, courseId: string, at = new Date()): Promise<OnlineEvidence> {
  const rows = await tx.all<EvidenceRow>(
    `SELECT l."id" AS "lessonId", l."title", l."titleEn", l."durationSeconds", lp."watchedSeconds", lp."viewSeconds",
            (SELECT MAX(q."scorePercent") FROM "QuizAttempt" q WHERE q."userId" = ? AND q."lessonId" = l."id") AS "bestScore",
            (SELECT COUNT(*) FROM "QuizAttempt" q WHERE q."userId" = ? AND q."lessonId" = l."id") AS "attempts"
       FROM "Lesson" l LEFT JOIN "LessonProgress" lp ON lp."lessonId" = l."id" AND lp."userId" = ?
      WHERE l."courseId" = ? ORDER BY l."position", l."id"`,
    [userId, userId, userId, courseId],
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
  const [person] = await tx.all<{ id: string }>(`SELECT "id" FROM "RosterPerson" WHERE "userId" = ?`, [completion.userId]);
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

type CompletionRow = { personId: string; userId: string; completionId: string; courseId: string; code: string; completedAt: string };

/** Completions of these people's linked accounts, as the training records they should have; a revoked certificate gives none. */
async function linkedCompletions(tx: Sql, where: string, params: unknown[]): Promise<CompletionRow[]> {
  return tx.all<CompletionRow>(
    `SELECT p."id" AS "personId", p."userId" AS "userId", cc."id" AS "completionId", cc."courseId" AS "courseId", c."code" AS "code",
            ${isoInstantOf(tx, `cc."completedAt"`)} AS "completedAt"
       FROM "RosterPerson" p
       JOIN "CourseCompletion" cc ON cc."userId" = p."userId"
       JOIN "Course" c ON c."id" = cc."courseId"
      WHERE cc."revokedAt" IS NULL AND ${where}
      ORDER BY p."id", cc."completedAt"`,
    params,
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
      provenance: { source: "ONLINE", completionId: r.completionId, evidence: await onlineEvidence(tx, r.userId, r.courseId, at) },
    });
  }
  return insertTrainingRecords(tx, records);
}

/** Records for the courses linked accounts finished before they were linked. Facts are the caller's to refresh. */
export async function backfillOnlineTraining(tx: Sql, personIds: readonly string[]): Promise<number> {
  if (personIds.length === 0) return 0;
  return recordsForCompletions(tx, await linkedCompletions(tx, inList(tx, `p."id"`), [listParam(tx, personIds)]), new Date());
}

// ---------------------------------------------------------------- completions without a record

const MISSING = `NOT EXISTS (SELECT 1 FROM "TrainingRecord" t WHERE t."personId" = p."id" AND (t."completionId" = cc."id" OR t."courseCode" = lower(c."code")))`;

export type MissingRecord = { personId: string; completionId: string; courseCode: string; completedAt: string };

/**
 * Completions of linked people that have no training record for that course
 * (a crash before completions and records shared a transaction, or a bug).
 * A voided record is a record: a void is never undone by this.
 */
export async function completionsWithoutRecord(sql: Sql = getSql()): Promise<MissingRecord[]> {
  return (await linkedCompletions(sql, MISSING, [])).map((r) => ({ personId: r.personId, completionId: r.completionId, courseCode: r.code, completedAt: r.completedAt }));
}

/** Online records whose completion is gone (the account or the course was deleted): they still count, on their snapshot. */
export async function onlineRecordsWithoutCompletion(sql: Sql = getSql()): Promise<{ id: string; personId: string; courseCode: string }[]> {
  return sql.all(`SELECT "id", "personId", "courseCode" FROM "TrainingRecord" WHERE "source" = 'ONLINE' AND "completionId" IS NULL ORDER BY "id"`);
}

/** Creates the missing records (dated the completion's Vietnam day, provenance online) and their facts; returns what it created. */
export async function repairMissingRecords(sql: Sql = getSql()): Promise<MissingRecord[]> {
  return sql.transaction(async (tx) => {
    await lockFactsShared(tx);
    const missing = await linkedCompletions(tx, MISSING, []);
    const personIds = [...new Set(missing.map((m) => m.personId))];
    await lockPersons(tx, personIds);
    await recordsForCompletions(tx, missing, new Date());
    await refreshFacts(tx, personIds);
    return missing.map((r) => ({ personId: r.personId, completionId: r.completionId, courseCode: r.code, completedAt: r.completedAt }));
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
    const [found] = await tx.all<{ personId: string }>(`SELECT "personId" FROM "TrainingRecord" WHERE "id" = ?`, [recordId]);
    if (!found || found.personId !== target.personId) return "notFound";
    await lockPersons(tx, [found.personId]);
    const [record] = await tx.all<{ personId: string; courseCode: string; voidedAt: unknown; provinceId: string | null; agencyId: string | null }>(
      `SELECT t."personId", t."courseCode", t."voidedAt", p."provinceId", p."agencyId"
         FROM "TrainingRecord" t JOIN "RosterPerson" p ON p."id" = t."personId" WHERE t."id" = ?`,
      [recordId],
    );
    if (!record || !inScope(actor, record)) return "notFound";
    if (record.voidedAt !== null) return "alreadyVoided";
    await tx.run(`UPDATE "TrainingRecord" SET "voidedAt" = ?, "voidedById" = ?, "voidReason" = ? WHERE "id" = ? AND "voidedAt" IS NULL`, [
      at,
      by.id,
      reason,
      recordId,
    ]);
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
