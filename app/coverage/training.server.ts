import { db } from "~/utils/db.server";

/** Day precision in UTC: training records count whole days. */
export function startOfUtcDay(date: Date): Date {
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
}

/**
 * Completing a course online is a training record for the roster person
 * linked to the learner's account, if any. Idempotent per person, course, day.
 */
export async function recordOnlineTraining(userId: string, courseCode: string, completedAt: Date) {
  const person = await db.rosterPerson.findUnique({ where: { userId }, select: { id: true } });
  if (!person) return null;
  const completedOn = startOfUtcDay(completedAt);
  return db.trainingRecord.upsert({
    where: { personId_courseCode_completedOn: { personId: person.id, courseCode, completedOn } },
    create: { personId: person.id, courseCode, completedOn, mode: "ONLINE" },
    update: {},
  });
}
