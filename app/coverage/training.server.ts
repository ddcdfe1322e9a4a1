import { sortableId } from "~/utils/ids";
import { dateOfDay, vietnamDay } from "./dates";
import { lockFactsShared, lockPersons, refreshFacts } from "./facts.server";
import { getSql, inList, isoInstantOf, listParam, type Column, type Sql } from "./sql.server";

// Training records are the numerators of coverage: a course finished online
// by a linked account, or a training imported from a file (in-person events
// count too). One record per person, course and day.

export type TrainingModeCode = "ONLINE" | "IN_PERSON" | "IMPORTED";

export type NewTrainingRecord = { personId: string; courseCode: string; day: number; mode: TrainingModeCode };

const RECORD_COLUMNS: Column[] = [
  { name: "id", type: "text" },
  { name: "personId", type: "text" },
  { name: "courseCode", type: "text" },
  { name: "completedOn", type: "timestamp" },
  { name: "mode", type: "TrainingMode" },
  { name: "createdAt", type: "timestamp" },
];

/** Inserts records that are not there yet; returns how many were new. Facts are the caller's to refresh. */
export async function insertTrainingRecords(tx: Sql, records: readonly NewTrainingRecord[]): Promise<number> {
  const now = new Date();
  return tx.insertMany(
    "TrainingRecord",
    RECORD_COLUMNS,
    records.map((r) => [sortableId(), r.personId, r.courseCode.toLowerCase(), dateOfDay(r.day), r.mode, now]),
    `ON CONFLICT ("personId", "courseCode", "completedOn") DO NOTHING`,
  );
}

/**
 * Completing a course online is a training record for the roster person
 * linked to the learner's account, if any, on the day it happened in Vietnam.
 * Idempotent per person, course, day.
 */
export async function recordOnlineTraining(userId: string, courseCode: string, completedAt: Date): Promise<boolean> {
  return getSql().transaction(async (tx) => {
    const [person] = await tx.all<{ id: string }>(`SELECT "id" FROM "RosterPerson" WHERE "userId" = ?`, [userId]);
    if (!person) return false;
    await lockFactsShared(tx);
    await lockPersons(tx, [person.id]);
    const inserted = await insertTrainingRecords(tx, [{ personId: person.id, courseCode, day: vietnamDay(completedAt), mode: "ONLINE" }]);
    if (inserted > 0) await refreshFacts(tx, [person.id]);
    return inserted > 0;
  });
}

/** Records for the courses linked accounts finished before they were linked. Facts are the caller's to refresh. */
export async function backfillOnlineTraining(tx: Sql, personIds: readonly string[]): Promise<number> {
  if (personIds.length === 0) return 0;
  const rows = await tx.all<{ personId: string; code: string; completedAt: string }>(
    `SELECT p."id" AS "personId", c."code" AS "code", ${isoInstantOf(tx, `cc."completedAt"`)} AS "completedAt"
       FROM "RosterPerson" p
       JOIN "CourseCompletion" cc ON cc."userId" = p."userId"
       JOIN "Course" c ON c."id" = cc."courseId"
      WHERE ${inList(tx, `p."id"`)}`,
    [listParam(tx, personIds)],
  );
  return insertTrainingRecords(
    tx,
    rows.map((r) => ({ personId: r.personId, courseCode: r.code, day: vietnamDay(new Date(r.completedAt)), mode: "ONLINE" as const })),
  );
}
