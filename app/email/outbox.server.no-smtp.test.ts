import { describe, expect, it } from "vitest";
import { db } from "~/utils/db.server";
import { listOutbox, queueEmail, retryMessage } from "./outbox.server";

// Without SMTP_URL (the quick start), messages are kept for admins, not sent
// and not dropped.

describe("email outbox without SMTP", () => {
  it("stores the message for /admin/outbox and queues no job", async () => {
    delete process.env.SMTP_URL;
    const id = await queueEmail({
      template: "invite",
      params: { name: "Bình", inviter: "Quản trị", role: "TRAINER", link: "http://localhost:3000/set-password/abc" },
      to: "binh@example.vn",
      locale: "vi",
    });
    expect((await db.emailMessage.findUniqueOrThrow({ where: { id } })).status).toBe("STORED");
    expect(await db.job.count()).toBe(0);
    const { total, messages } = await listOutbox({ q: "binh" });
    expect(total).toBe(1);
    expect(messages[0]?.text).toContain("http://localhost:3000/set-password/abc");
    expect(await retryMessage(id)).toBe("no-smtp");
  });
});
