// A completion, its certificate and the roster person's training record are
// one transaction. The record insert is made to fail with a trigger in the
// real database (SQLite or PostgreSQL); nothing of the completion may remain.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { confirmRosterMatch } from "~/coverage/link.server";
import { parseEvidence } from "~/coverage/provenance";
import { getSql, closeSql, fragment } from "~/db/sql.server";
import { verifyCoverage } from "~/coverage/verify.server";
import { SYSTEM_ACTOR } from "~/coverage/scope.server";
import { vietnamDay } from "~/coverage/dates";
import { db } from "~/utils/db.server";
import { importRosterCsv, ROSTER_HEAD } from "../../tests/helpers/coverage";
import { createPublishedCourse } from "../../tests/helpers/fixtures";
import { completeCourseIfDone } from "./course-completion.server";

async function failRecordInserts() {
  const sql = getSql();
  if (sql.dialect === "sqlite") {
    await sql.run(
      fragment`CREATE TRIGGER "fail_record" BEFORE INSERT ON "TrainingRecord" BEGIN SELECT RAISE(ABORT, 'record insert failed'); END`,
    );
  } else {
    await sql.run(
      fragment`CREATE FUNCTION fail_record() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'record insert failed'; END $$ LANGUAGE plpgsql`,
    );
    await sql.run(
      fragment`CREATE TRIGGER "fail_record" BEFORE INSERT ON "TrainingRecord" FOR EACH ROW EXECUTE FUNCTION fail_record()`,
    );
  }
}

async function allowRecordInserts() {
  const sql = getSql();
  if (sql.dialect === "sqlite") await sql.run(fragment`DROP TRIGGER "fail_record"`);
  else await sql.run(fragment`DROP TRIGGER "fail_record" ON "TrainingRecord"`);
}

let userId: string;
let course: Awaited<ReturnType<typeof createPublishedCourse>>;

beforeAll(async () => {
  course = await createPublishedCourse({ durations: [200, 240], quizOn: [1] });
  await importRosterCsv(`${ROSTER_HEAD}\nCC-1,Trần Văn Học,hoc@example.vn,Bộ Tư pháp,Hà Nội,HR_WORK,,,\n`);
  const user = await db.user.create({
    data: { email: "hoc@example.vn", name: "Học", passwordHash: "x", emailVerifiedAt: new Date() },
  });
  userId = user.id;
  const person = await db.rosterPerson.findUniqueOrThrow({ where: { personnelCode: "CC-1" } });
  expect(await confirmRosterMatch(user.id, person.id)).toBe("linked");
  const [first, second] = course.lessons;
  await db.lessonProgress.create({
    data: { userId, lessonId: first!.id, watchedSeconds: 190, viewSeconds: 205, completedAt: new Date() },
  });
  await db.lessonProgress.create({
    data: { userId, lessonId: second!.id, watchedSeconds: 240, viewSeconds: 250, completedAt: new Date() },
  });
  await db.quizAttempt.create({
    data: { userId, lessonId: second!.id, answers: "{}", scorePercent: 40, passed: false },
  });
  await db.quizAttempt.create({
    data: { userId, lessonId: second!.id, answers: "{}", scorePercent: 100, passed: true },
  });
});
afterAll(closeSql);

describe("completing a course", () => {
  it("leaves no completion and no certificate when the training record cannot be written", async () => {
    await failRecordInserts();
    try {
      await expect(completeCourseIfDone(userId, course.id, new Date("2025-03-01T18:30:00Z"))).rejects.toThrow(
        /record insert failed/,
      );
    } finally {
      await allowRecordInserts();
    }
    expect(await db.courseCompletion.count({ where: { userId } })).toBe(0);
    expect(await db.trainingRecord.count()).toBe(0);
    expect(await db.coverageFact.count({ where: { qualifiedDay: { not: null } } })).toBe(0);
  });

  it("writes the completion, its certificate and the record with its evidence together, once", async () => {
    const at = new Date("2025-03-01T18:30:00Z"); // 2 March in Vietnam
    expect(await completeCourseIfDone(userId, course.id, at)).toBe(true);
    expect(await completeCourseIfDone(userId, course.id, new Date())).toBe(false);
    const completion = await db.courseCompletion.findUniqueOrThrow({
      where: { userId_courseId: { userId, courseId: course.id } },
    });
    expect(completion.certificateCode).toMatch(/^[A-Z2-7]{4}(-[A-Z2-7]{4}){3}$/);
    const [record, ...more] = await db.trainingRecord.findMany();
    expect(more).toEqual([]);
    expect(record).toMatchObject({
      source: "ONLINE",
      mode: "ONLINE",
      completionId: completion.id,
      courseCode: course.code,
      voidedAt: null,
    });
    expect(vietnamDay(at)).toBe(record!.completedOn.getTime() / 86_400_000);
    const evidence = parseEvidence(record!.evidence);
    expect(evidence?.viewSeconds).toBe(455);
    expect(
      evidence?.lessons.map((l) => [l.title, l.watchedPercent, l.viewSeconds, l.quizScorePercent, l.quizAttempts]),
    ).toEqual([
      ["Bài 1", 95, 205, null, 0],
      ["Bài 2", 100, 250, 100, 2],
    ]);
    // The snapshot stays true when progress changes later.
    await db.lessonProgress.deleteMany({ where: { userId } });
    expect(parseEvidence((await db.trainingRecord.findUniqueOrThrow({ where: { id: record!.id } })).evidence)).toEqual(
      evidence,
    );
    expect(await verifyCoverage(SYSTEM_ACTOR, [vietnamDay(at) - 1, vietnamDay(at)])).toEqual([]);
  });
});
