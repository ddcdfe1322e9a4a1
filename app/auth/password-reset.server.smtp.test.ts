import type { ActionFunctionArgs } from "@remix-run/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { linkIn, startTestSmtp, type TestSmtp } from "../../tests/helpers/smtp";

// The whole forgot-password flow over a real SMTP server on loopback: the
// route's answer, the job runner sending the email, and the link in the
// received message resetting the password. The app's environment is read
// once, so SMTP_URL is set before any app module is imported.

let smtp: TestSmtp;
let stopRunner: () => Promise<void>;

beforeAll(async () => {
  smtp = await startTestSmtp();
  process.env.SMTP_URL = smtp.url;
  process.env.PUBLIC_URL = "https://taphuan.example.gov.vn";
  await import("~/email/outbox.server"); // registers the "email" job
  const { JobRunner } = await import("~/jobs/runner.server");
  const runner = new JobRunner({ pollMs: 50, kinds: ["email"] });
  await runner.start();
  stopRunner = () => runner.stop();
});

afterAll(async () => {
  await stopRunner?.();
  (await import("~/email/outbox.server")).resetTransport();
  await smtp?.close();
});

describe("forgot password over SMTP", () => {
  it("delivers a reset link that sets the new password", async () => {
    const { createLearner } = await import("../../tests/helpers/fixtures");
    const forgot = await import("~/routes/forgot-password");
    const reset = await import("~/routes/reset-password.$token");
    const { verifyLogin } = await import("./auth.server");
    const { db } = await import("~/utils/db.server");
    const { email } = await createLearner();

    const form = new URLSearchParams({ email });
    const answer = await forgot.action({
      request: new Request("http://localhost/forgot-password", { method: "POST", body: form }),
      params: {},
      context: { clientIp: "127.0.0.1" },
    } as ActionFunctionArgs);
    expect(answer).toEqual({ status: "ok", data: null });

    const mail = await smtp.waitFor(email, /mật khẩu/i);
    const link = linkIn(mail, "/reset-password/");
    expect(link.startsWith("https://taphuan.example.gov.vn/reset-password/")).toBe(true);
    expect(mail.html).toContain(link);
    const path = new URL(link).pathname;

    const done = (await reset.action({
      request: new Request(`http://localhost${path}`, {
        method: "POST",
        body: new URLSearchParams({ password: "qua-thu-dien-tu-2026", confirmPassword: "qua-thu-dien-tu-2026" }),
      }),
      params: { token: path.split("/")[2] },
      context: { clientIp: "127.0.0.1" },
    } as unknown as ActionFunctionArgs)) as Response;
    expect(done.status).toBe(302);
    expect(done.headers.get("Location")).toBe("/my-learning");
    expect((await verifyLogin(email, "qua-thu-dien-tu-2026", null)).ok).toBe(true);
    expect((await db.emailMessage.findFirstOrThrow({ where: { toEmail: email } })).status).toBe("SENT");
  });
});
