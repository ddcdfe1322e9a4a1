import { afterAll, describe, expect, it } from "vitest";
import { linkIn, startTestSmtp } from "../../tests/helpers/smtp";

// Email through a real SMTP server on loopback: nodemailer speaks SMTP to it,
// and the assertions read what the server received.

const smtp = await startTestSmtp({ user: "mailer", password: "s3cret pass" });
process.env.SMTP_URL = smtp.url;
process.env.PUBLIC_URL = "https://taphuan.example.gov.vn";
process.env.MAIL_FROM = "Tập huấn <no-reply@example.gov.vn>";

const { db } = await import("~/utils/db.server");
const { queueEmail, deliver, retryMessage } = await import("./outbox.server");
const { JobRunner } = await import("~/jobs/runner.server");

afterAll(() => smtp.close());

async function runJobs() {
  const runner = new JobRunner({ pollMs: 20, kinds: ["email"] });
  await runner.start();
  await runner.drain();
  await runner.stop();
}

describe("email outbox over SMTP", () => {
  it("sends a stored message through the job runner, in the recipient's language, HTML and text", async () => {
    const id = await queueEmail({
      template: "reset",
      params: {
        name: "Nguyễn Văn An",
        email: "an@example.vn",
        link: "https://taphuan.example.gov.vn/reset-password/abc",
      },
      to: "An@Example.vn",
      toName: "Nguyễn Văn An",
      locale: "vi",
    });
    expect((await db.emailMessage.findUniqueOrThrow({ where: { id } })).status).toBe("QUEUED");
    await runJobs();
    const mail = await smtp.waitFor("an@example.vn");
    expect(mail.from).toBe("no-reply@example.gov.vn");
    expect(mail.subject).toBe("Đặt lại mật khẩu Tập huấn");
    expect(mail.text).toContain("Kính gửi Nguyễn Văn An,");
    expect(linkIn(mail, "/reset-password/")).toBe("https://taphuan.example.gov.vn/reset-password/abc");
    expect(mail.text).toContain("https://taphuan.example.gov.vn"); // a link back to the platform
    expect(mail.html).toContain('href="https://taphuan.example.gov.vn/reset-password/abc"');
    const stored = await db.emailMessage.findUniqueOrThrow({ where: { id } });
    expect(stored).toMatchObject({ status: "SENT", attempts: 1, lastError: null });
  });

  it("writes English for an English-speaking recipient and escapes names in HTML", async () => {
    await queueEmail({
      template: "invite",
      params: {
        name: "<b>Mai</b>",
        inviter: "Quản trị",
        role: "COORDINATOR",
        link: "https://taphuan.example.gov.vn/set-password/xyz",
      },
      to: "mai@example.vn",
      locale: "en",
    });
    await runJobs();
    const mail = await smtp.waitFor("mai@example.vn");
    expect(mail.subject).toBe("You are invited to Tập huấn");
    expect(mail.text).toContain("as a coordinator");
    expect(mail.html).toContain("&lt;b&gt;Mai&lt;/b&gt;");
    expect(mail.html).not.toContain("<b>Mai</b>");
  });

  it("keeps the server's reply on a temporary failure and sends on the retry", async () => {
    smtp.failNext(1);
    const id = await queueEmail({
      template: "verify",
      params: { name: "Lan", email: "lan@example.vn", link: "https://taphuan.example.gov.vn/verify-email/t" },
      to: "lan@example.vn",
      locale: "vi",
    });
    const runner = new JobRunner({ pollMs: 20, kinds: ["email"] });
    await runner.start();
    await expect
      .poll(async () => (await db.emailMessage.findUniqueOrThrow({ where: { id } })).lastError, { timeout: 10_000 })
      .toMatch(/451/);
    expect((await db.emailMessage.findUniqueOrThrow({ where: { id } })).status).toBe("QUEUED");
    // The retry waits 15 s; bring it forward.
    await db.job.updateMany({ where: { kind: "email", status: "QUEUED" }, data: { runAt: new Date() } });
    await runner.drain();
    await runner.stop();
    await smtp.waitFor("lan@example.vn");
    expect(await db.emailMessage.findUniqueOrThrow({ where: { id } })).toMatchObject({
      status: "SENT",
      attempts: 2,
      lastError: null,
    });
  });

  it("marks a message FAILED with the reply when every attempt fails, and an admin can send it again", async () => {
    smtp.failNext(100);
    const id = await queueEmail({
      template: "verify",
      params: { name: "Hùng", email: "hung@example.vn", link: "https://taphuan.example.gov.vn/verify-email/u" },
      to: "hung@example.vn",
      locale: "vi",
    });
    await db.job.updateMany({ where: { kind: "email", status: "QUEUED" }, data: { maxAttempts: 1 } });
    await runJobs();
    expect(await db.emailMessage.findUniqueOrThrow({ where: { id } })).toMatchObject({
      status: "FAILED",
      lastError: expect.stringMatching(/451/),
    });
    smtp.failNext(0);
    expect(await retryMessage(id)).toBe("queued");
    await runJobs();
    await smtp.waitFor("hung@example.vn");
    expect((await db.emailMessage.findUniqueOrThrow({ where: { id } })).status).toBe("SENT");
  });

  it("does not send a message twice", async () => {
    const id = await queueEmail({
      template: "verify",
      params: { name: "Tú", email: "tu@example.vn", link: "https://taphuan.example.gov.vn/verify-email/v" },
      to: "tu@example.vn",
      locale: "vi",
    });
    await runJobs();
    expect(await deliver(id)).toBe("skipped");
    expect(smtp.messages.filter((m) => m.to.includes("tu@example.vn"))).toHaveLength(1);
  });
});
