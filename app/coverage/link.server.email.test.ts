import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedReferenceData } from "~/setup/seed.server";
import { db } from "~/utils/db.server";
import { createCoordinator, importRosterCsv, ROSTER_HEAD } from "../../tests/helpers/coverage";
import { emailInvitation } from "./link.server";
import { closeSql } from "~/db/sql.server";

// A coordinator emails a roster person their personal invitation instead of
// a mailto: link: only within their scope, only to someone with an email, no
// account and no opt-out; the message, the token and the audit entry together.

beforeAll(async () => {
  await seedReferenceData();
  await importRosterCsv(
    `${ROSTER_HEAD}\n` +
      "HN-1,Lê Thị Mời,moi@hanoi.vn,Bộ Tư pháp,Hà Nội,HR_WORK,,,\n" +
      "HN-2,Không Thư,,Bộ Tư pháp,Hà Nội,HR_WORK,,,\n" +
      "HN-3,Đã Hủy,huy@hanoi.vn,Bộ Tư pháp,Hà Nội,HR_WORK,,,\n" +
      "DN-1,Ngoài Phạm Vi,ngoai@danang.vn,Bộ Tư pháp,Đà Nẵng,HR_WORK,,,\n",
  );
});
afterAll(closeSql);

const person = (code: string) => db.rosterPerson.findUniqueOrThrow({ where: { personnelCode: code } });

describe("emailing a personal invitation", () => {
  it("queues the invitation with the person's link, and audits it in the coordinator's scope", async () => {
    const { user: hanoi, actor } = await createCoordinator("dp.hn.invite@test.vn", { provinceCode: "cur-ha-noi" });
    const p = await person("HN-1");
    expect(await emailInvitation(actor, p.id, { id: hanoi.id, email: hanoi.email })).toBe("queued");
    const token = (await person("HN-1")).inviteToken;
    expect(token).toBeTruthy();
    const message = await db.emailMessage.findFirstOrThrow({ where: { personId: p.id } });
    expect(message.toEmail).toBe("moi@hanoi.vn");
    expect(message.text).toContain(`/invite/${token}`);
    expect(message.text).toContain("/unsubscribe/");
    const audit = await db.auditEvent.findFirstOrThrow({ where: { action: "person.invite_sent", targetId: p.id } });
    expect(audit).toMatchObject({ actorId: hanoi.id, provinceId: p.provinceId });
    // Sending again reuses the same link.
    expect(await emailInvitation(actor, p.id, { id: hanoi.id, email: hanoi.email })).toBe("queued");
    expect((await person("HN-1")).inviteToken).toBe(token);
  });

  it("refuses people outside the scope, without an email, or unsubscribed, and writes nothing", async () => {
    const { user: hanoi, actor } = await createCoordinator("dp.hn.invite2@test.vn", { provinceCode: "cur-ha-noi" });
    const sender = { id: hanoi.id, email: hanoi.email };
    const before = { messages: await db.emailMessage.count(), audit: await db.auditEvent.count() };
    expect(await emailInvitation(actor, (await person("DN-1")).id, sender)).toBe("notFound");
    expect(await emailInvitation(actor, (await person("HN-2")).id, sender)).toBe("noEmail");
    await db.emailOptOut.create({ data: { email: "huy@hanoi.vn" } });
    expect(await emailInvitation(actor, (await person("HN-3")).id, sender)).toBe("optedOut");
    expect(await emailInvitation(actor, "no-such-person", sender)).toBe("notFound");
    expect({ messages: await db.emailMessage.count(), audit: await db.auditEvent.count() }).toEqual(before);
    expect((await person("DN-1")).inviteToken).toBeNull();
  });
});
