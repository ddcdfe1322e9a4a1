// A reminder sent for real: through the job runner, nodemailer and a real
// SMTP server on loopback. SMTP_URL must be set before any app module reads
// the environment, so they are imported after the server is up.
import { afterAll, beforeAll, expect, it } from "vitest";
import { linkIn, startTestSmtp, type TestSmtp } from "../../tests/helpers/smtp";

let smtp: TestSmtp;

beforeAll(async () => {
  smtp = await startTestSmtp();
  process.env.SMTP_URL = smtp.url;
  process.env.PUBLIC_URL = "https://taphuan.example.vn";
});
afterAll(async () => {
  const { closeSql } = await import("~/db/sql.server");
  const { resetTransport } = await import("~/email/outbox.server");
  resetTransport();
  await closeSql();
  await smtp.close();
});

it("delivers the reminder with the right recipients, subject and links", async () => {
  const { seedReferenceData } = await import("~/setup/seed.server");
  const { db } = await import("~/utils/db.server");
  const { JobRunner } = await import("~/jobs/runner.server");
  const { createCoordinator, importRosterCsv, ROSTER_HEAD } = await import("../../tests/helpers/coverage");
  const { sendReminders } = await import("./reminders.server");
  const { vietnamDay } = await import("./dates");
  const { untrainedPeople } = await import("./report.server");

  await seedReferenceData();
  const account = await db.user.create({
    data: { email: "linked@example.vn", name: "Linked", passwordHash: "x", emailVerifiedAt: new Date() },
  });
  await importRosterCsv(`${ROSTER_HEAD}
S-1,Người Có Tài Khoản,linked@example.vn,Bộ Tư pháp,Hà Nội,HR_WORK,,,
S-2,Người Chưa Có Tài Khoản,unlinked@example.vn,Bộ Tư pháp,Hà Nội,HR_WORK,,,
S-3,Người Ở Huế,hue@example.vn,Bộ Tư pháp,Huế,HR_WORK,,,
`);
  // The person links their own account ("this is me"); an import never does.
  const { confirmRosterMatch } = await import("./link.server");
  expect(
    await confirmRosterMatch(
      account.id,
      (await db.rosterPerson.findUniqueOrThrow({ where: { personnelCode: "S-1" } })).id,
    ),
  ).toBe("linked");
  const { user, actor } = await createCoordinator("hn.smtp@example.vn", { provinceCode: "cur-ha-noi" });
  const outcome = await sendReminders(actor, user.id, { groupCode: "HR_WORK", day: vietnamDay(new Date()) });
  expect(outcome.ok).toBe(true);

  const runner = new JobRunner({ pollMs: 20 });
  await runner.start();
  try {
    const unlinked = await smtp.waitFor("unlinked@example.vn", /Nhắc nhở/);
    const linked = await smtp.waitFor("linked@example.vn", /Nhắc nhở/);
    // Until every job has settled (the messages are marked SENT after the server's reply).
    for (let i = 0; i < 500 && (await db.job.count({ where: { status: { in: ["QUEUED", "RUNNING"] } } })) > 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }

    expect(unlinked.subject).toBe("Nhắc nhở: hoàn thành tập huấn về quyền con người");
    const person = await db.rosterPerson.findUniqueOrThrow({ where: { personnelCode: "S-2" } });
    expect(linkIn(unlinked, "/invite/")).toBe(`https://taphuan.example.vn/invite/${person.inviteToken}`);
    const unsubscribeLink = linkIn(unlinked, "/unsubscribe/");
    expect(unlinked.html).toContain(unsubscribeLink);
    expect(unlinked.raw).toMatch(/List-Unsubscribe:\s*<https:\/\/taphuan\.example\.vn\/unsubscribe\//);

    expect(linked.text).toContain("Đến các khóa học: https://taphuan.example.vn/\n");
    expect(linked.text).not.toContain("/invite/");
    // Only the two Hà Nội people: the coordinator's scope.
    expect(smtp.messages.flatMap((m) => m.to).sort()).toEqual(["linked@example.vn", "unlinked@example.vn"]);

    const { people } = await untrainedPeople(actor, vietnamDay(new Date()), { groupCode: "HR_WORK" }, null);
    expect(people.map((p) => p.reminderStatus)).toEqual(["SENT", "SENT"]);
  } finally {
    await runner.stop();
  }
});
