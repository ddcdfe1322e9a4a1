// Reminders from a follow-up list: who they reach, what they say, that the
// job never sends twice, and that an unsubscribe is honoured. No SMTP_URL:
// messages are STORED in the outbox (reminders.server.smtp.test.ts sends for real).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { unsubscribe } from "~/email/outbox.server";
import { JobRunner } from "~/jobs/runner.server";
import { seedReferenceData } from "~/setup/seed.server";
import { db } from "~/utils/db.server";
import { getEnv } from "~/utils/env.server";
import { createCoordinator, importRosterCsv, importTrainingCsv, ROSTER_HEAD } from "../../tests/helpers/coverage";
import { vietnamDay } from "./dates";
import { confirmRosterMatch } from "./link.server";
import { previewReminder, runReminderJob, sendReminders, type ReminderList } from "./reminders.server";
import { untrainedPeople } from "./report.server";
import type { Actor } from "./scope.server";
import { closeSql } from "~/db/sql.server";

const DAY = 86_400_000;
let hanoi: { user: { id: string }; actor: Actor };
let national: { user: { id: string }; actor: Actor };
const list = (): ReminderList => ({ groupCode: "HR_WORK", day: vietnamDay(new Date()) });

async function runJobs() {
  const runner = new JobRunner({ pollMs: 20 });
  await runner.start();
  // drain() alone can return in the moment between a claim and its run
  // starting; waiting for the rows to settle cannot.
  for (
    let i = 0;
    i < 500 &&
    (await db.job.count({ where: { status: { in: ["QUEUED", "RUNNING"] }, runAt: { lte: new Date() } } })) > 0;
    i++
  ) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  await runner.drain();
  await runner.stop();
  // A job that failed an attempt would wait for its retry: say why instead.
  expect(
    await db.job.findMany({
      where: { kind: "reminders", status: { not: "DONE" } },
      select: { status: true, error: true },
    }),
  ).toEqual([]);
}

async function messagesOf(jobId: string) {
  return db.emailMessage.findMany({ where: { reminderId: jobId }, orderBy: { toEmail: "asc" } });
}

beforeAll(async () => {
  await seedReferenceData();
  // HN-1 has an account (linked by the person's own "this is me"), HN-2 has none.
  const hn1 = await db.user.create({
    data: { email: "hn1@example.vn", name: "HN 1", passwordHash: "x", locale: "vi", emailVerifiedAt: new Date() },
  });
  await importRosterCsv(`${ROSTER_HEAD}
HN-1,Nguyễn Văn Một,hn1@example.vn,Bộ Tư pháp,Hà Nội,HR_WORK,,,
HN-2,Trần Thị Hai,hn2@example.vn,Bộ Tư pháp,Hà Nội,HR_WORK,,,
HN-3,Lê Văn Ba,,Bộ Tư pháp,Hà Nội,HR_WORK,,,
HN-4,Phạm Thị Bốn,hn4@example.vn,Bộ Tư pháp,Hà Nội,HR_WORK,,,
HN-5,Hoàng Văn Năm,hn5@example.vn,Bộ Tư pháp,Hà Nội,HR_WORK,,,
HN-6,Vũ Thị Sáu,hn6@example.vn,Bộ Tư pháp,Hà Nội,HR_WORK,,,
HN-7,Đỗ Văn Bảy,hn7@example.vn,Bộ Tư pháp,Hà Nội,HR_WORK,,,
DN-1,Bí Mật Đà Nẵng,dn1@example.vn,Bộ Tư pháp,Đà Nẵng,HR_WORK,,,
`);
  expect(
    await confirmRosterMatch(
      hn1.id,
      (await db.rosterPerson.findUniqueOrThrow({ where: { personnelCode: "HN-1" } })).id,
    ),
  ).toBe("linked");
  await importTrainingCsv(`personnel_code,course_code,completed_on,mode\nHN-6,iccpr-intro,2024-03-01,in_person\n`);
  await db.emailOptOut.create({ data: { email: "hn4@example.vn" } });
  await db.rosterPerson.update({
    where: { personnelCode: "HN-5" },
    data: { lastRemindedAt: new Date(Date.now() - 2 * DAY) },
  });
  await db.rosterPerson.update({
    where: { personnelCode: "HN-7" },
    data: { lastRemindedAt: new Date(Date.now() - 10 * DAY) },
  });
  hanoi = await createCoordinator("hn.reminders@example.vn", { provinceCode: "cur-ha-noi" });
  national = await createCoordinator("national.reminders@example.vn");
});
afterAll(closeSql);

describe("the preview", () => {
  it("counts who the reminder reaches and who it leaves out, within the scope", async () => {
    const preview = await previewReminder(hanoi.actor, list());
    // HN-6 is trained; DN-1 is outside Hà Nội.
    expect(preview.untrained).toBe(6);
    expect(preview.excluded).toEqual({ noEmail: 1, recent: 1, optedOut: 1 });
    expect(preview.reach).toBe(3);
    expect(preview.message?.invite.subject).toBe("Nhắc nhở: hoàn thành tập huấn về quyền con người");
    expect(preview.message?.invite.text).toContain("/invite/");
    expect(preview.message?.linked.text).toContain("Đến các khóa học");

    const all = await previewReminder(national.actor, list());
    expect(all.untrained).toBe(7);
    expect(all.reach).toBe(4);
  });

  it("finds nothing to send for an unknown group", async () => {
    expect(await sendReminders(hanoi.actor, hanoi.user.id, { ...list(), groupCode: "NOPE" })).toEqual({
      ok: false,
      reason: "unknownGroup",
    });
  });
});

describe("sending", () => {
  let jobId = "";

  it("writes one message per eligible person in the coordinator's scope, as a job", async () => {
    const outcome = await sendReminders(hanoi.actor, hanoi.user.id, list());
    expect(outcome.ok).toBe(true);
    jobId = outcome.ok ? outcome.jobId : "";
    await runJobs();
    const job = await db.job.findUniqueOrThrow({ where: { id: jobId } });
    expect(job.status).toBe("DONE");
    expect(job.progressDone).toBe(job.progressTotal);
    const messages = await messagesOf(jobId);
    // Not HN-3 (no email), HN-4 (opted out), HN-5 (reminded 2 days ago), HN-6 (trained), DN-1 (Đà Nẵng).
    expect(messages.map((m) => m.toEmail)).toEqual(["hn1@example.vn", "hn2@example.vn", "hn7@example.vn"]);
    expect(messages.every((m) => m.status === "STORED" && m.template === "reminder" && m.unsubscribeToken)).toBe(true);
    expect(JSON.parse(job.result!)).toMatchObject({ sent: 3, excluded: { noEmail: 1, recent: 1, optedOut: 1 } });
  });

  it("gives the linked person the courses link and the unlinked one a personal invitation", async () => {
    const base = getEnv().publicUrl;
    const [linked, unlinked] = await messagesOf(jobId);
    expect(linked!.text).toContain(`${base}/\n`);
    expect(linked!.text).not.toContain("/invite/");
    const hn2 = await db.rosterPerson.findUniqueOrThrow({ where: { personnelCode: "HN-2" } });
    expect(hn2.inviteToken).toMatch(/^[a-z0-9]{20,64}$/);
    expect(unlinked!.text).toContain(`${base}/invite/${hn2.inviteToken}`);
    expect(unlinked!.text).toContain(`${base}/unsubscribe/${unlinked!.unsubscribeToken}`);
    expect(unlinked!.personId).toBe(hn2.id);
    expect(hn2.lastReminderId).toBe(jobId);
  });

  it("records one audit entry for the batch, in the coordinator's province", async () => {
    const entries = await db.auditEvent.findMany({ where: { action: "reminder.send" } });
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      actorId: hanoi.user.id,
      targetId: jobId,
      provinceId: (hanoi.actor as { scopeProvinceId: string }).scopeProvinceId,
    });
    expect(JSON.parse(entries[0]!.details)).toMatchObject({ group: "HR_WORK", count: 3 });
  });

  it("shows the reminder and its delivery status on the follow-up list", async () => {
    const { people } = await untrainedPeople(hanoi.actor, list().day, { groupCode: "HR_WORK" }, null);
    const hn2 = people.find((p) => p.personnelCode === "HN-2")!;
    expect(hn2.lastRemindedAt).not.toBeNull();
    expect(hn2.reminderStatus).toBe("STORED");
    expect(people.find((p) => p.personnelCode === "HN-3")!.reminderStatus).toBeNull();
  });

  it("sends nothing twice when the job runs again (resume after a crash)", async () => {
    const job = await db.job.findUniqueOrThrow({ where: { id: jobId } });
    const payload = JSON.parse(job.payload);
    const ctx = {
      job: { id: jobId, kind: "reminders" as const, attempts: 2, maxAttempts: 3, createdById: hanoi.user.id },
      progress: async () => {},
      signal: new AbortController().signal,
    };
    const again = await runReminderJob(payload, ctx);
    expect(again.sent).toBe(3);
    expect(await messagesOf(jobId)).toHaveLength(3);
    // A new send from the national level reaches only DN-1: everyone else was just reminded.
    const other = await sendReminders(national.actor, national.user.id, list());
    await runJobs();
    expect(other.ok && (await messagesOf(other.jobId)).map((m) => m.toEmail)).toEqual(["dn1@example.vn"]);
    expect(await sendReminders(hanoi.actor, hanoi.user.id, list())).toEqual({ ok: false, reason: "nobody" });
  });

  it("honours an unsubscribe link in a later send", async () => {
    const [, hn2Message] = await messagesOf(jobId);
    expect(await unsubscribe(hn2Message!.unsubscribeToken!)).toEqual({ email: "hn2@example.vn" });
    expect(await unsubscribe("not-a-real-token-at-all")).toBeNull();
    // A week and a day later, everyone may be reminded again but HN-2.
    await db.rosterPerson.updateMany({
      where: { lastRemindedAt: { not: null } },
      data: { lastRemindedAt: new Date(Date.now() - 8 * DAY) },
    });
    const preview = await previewReminder(hanoi.actor, list());
    expect(preview.excluded).toEqual({ noEmail: 1, recent: 0, optedOut: 2 });
    const outcome = await sendReminders(hanoi.actor, hanoi.user.id, list());
    await runJobs();
    expect(outcome.ok && (await messagesOf(outcome.jobId)).map((m) => m.toEmail)).toEqual([
      "hn1@example.vn",
      "hn5@example.vn",
      "hn7@example.vn",
    ]);
    // HN-2 keeps the invitation token the first reminder gave them.
    const hn2 = await db.rosterPerson.findUniqueOrThrow({ where: { personnelCode: "HN-2" } });
    expect(hn2Message!.text).toContain(`/invite/${hn2.inviteToken}`);
  });

  it("re-checks at send time: a person reminded after the preview is skipped", async () => {
    await db.rosterPerson.updateMany({ data: { lastRemindedAt: new Date(Date.now() - 8 * DAY) } });
    const outcome = await sendReminders(hanoi.actor, hanoi.user.id, list());
    // Someone else reminds HN-7 before the job runs.
    await db.rosterPerson.update({ where: { personnelCode: "HN-7" }, data: { lastRemindedAt: new Date() } });
    await runJobs();
    const sent = outcome.ok ? await messagesOf(outcome.jobId) : [];
    expect(sent.map((m) => m.toEmail)).toEqual(["hn1@example.vn", "hn5@example.vn"]);
  });
});
