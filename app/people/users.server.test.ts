import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { recordAudit } from "~/audit/audit.server";
import { verifyLogin } from "~/auth/auth.server";
import { ACCOUNT_FREE_FAILURES, accountWaitMs } from "~/auth/login-throttle.server";
import { createSession, generateSessionToken, validateSessionToken } from "~/auth/session.server";
import type { Role } from "~/generated/prisma-sqlite/enums";
import { seedReferenceData } from "~/setup/seed.server";
import { db } from "~/utils/db.server";
import { createPublishedCourse } from "../../tests/helpers/fixtures";
import type { PeopleActor } from "./rules";
import {
  addCourseOwner,
  changeRoleAndScope,
  deactivateUser,
  getUserDetails,
  inviteUser,
  listUsers,
  reactivateUser,
  removeCourseOwner,
  sendPasswordReset,
  unlockUser,
} from "./users.server";

// The audit write can be made to fail, to prove it shares the change's transaction.
vi.mock("~/audit/audit.server", async (importOriginal) => {
  const original = await importOriginal<typeof import("~/audit/audit.server")>();
  return { ...original, recordAudit: vi.fn(original.recordAudit) };
});

beforeAll(seedReferenceData);

async function person(role: Role, name = "Người thử") {
  return db.user.create({
    data: { email: `${role.toLowerCase()}-${randomUUID().slice(0, 8)}@example.vn`, name, passwordHash: "x", role },
    select: { id: true, email: true, name: true, role: true },
  });
}

function actor(user: { id: string; email: string; name: string; role: Role }): PeopleActor {
  return { kind: "user", ...user };
}

/** Leaves `keep` as the only active admin of this file's database. */
async function onlyAdmin(keep: { id: string }) {
  await db.user.updateMany({ where: { role: "ADMIN", id: { not: keep.id } }, data: { deactivatedAt: new Date() } });
}

async function counts() {
  const [users, tokens, emails, audits] = await Promise.all([
    db.user.count(),
    db.accountToken.count(),
    db.emailMessage.count(),
    db.auditEvent.count(),
  ]);
  return { users, tokens, emails, audits };
}

async function provinceCode(id: string | null) {
  return id ? (await db.province.findUniqueOrThrow({ where: { id } })).code : null;
}

describe("only admins manage people", () => {
  it("refuses coordinators, trainers and learners with 403", async () => {
    const target = await person("LEARNER");
    for (const role of ["COORDINATOR", "TRAINER", "LEARNER"] as const) {
      const who = actor(await person(role));
      const refusals = [
        () => listUsers(who, {}),
        () =>
          inviteUser(who, {
            email: `x-${randomUUID()}@example.vn`,
            name: "X Y",
            role: "ADMIN",
            scope: { kind: "national" },
            locale: "vi",
          }),
        () => changeRoleAndScope(who, { id: target.id }, { role: "ADMIN", scope: { kind: "national" } }),
        () => deactivateUser(who, target.id),
        () => reactivateUser(who, target.id),
        () => unlockUser(who, target.id),
        () => sendPasswordReset(who, target.id),
        () => addCourseOwner(who, target.id, { course: "x", role: "OWNER" }),
      ];
      for (const refusal of refusals) await expect(refusal()).rejects.toMatchObject({ status: 403 });
    }
    expect((await db.user.findUniqueOrThrow({ where: { id: target.id } })).role).toBe("LEARNER");
  });

  it("goes by the database, not by what the session said a moment ago", async () => {
    const former = await person("ADMIN");
    const stale = actor(former);
    await db.user.update({ where: { id: former.id }, data: { role: "TRAINER" } });
    await expect(listUsers(stale, {})).rejects.toMatchObject({ status: 403 });
    await db.user.update({ where: { id: former.id }, data: { role: "ADMIN", deactivatedAt: new Date() } });
    await expect(listUsers(stale, {})).rejects.toMatchObject({ status: 403 });
  });
});

describe("the last active admin", () => {
  it("cannot be demoted or deactivated, by themselves or by the command line", async () => {
    const admin = await person("ADMIN");
    await onlyAdmin(admin);
    const self = actor(admin);
    expect(
      await changeRoleAndScope(self, { id: admin.id }, { role: "COORDINATOR", scope: { kind: "national" } }),
    ).toEqual({ ok: false, error: "lastAdmin" });
    expect(await deactivateUser(self, admin.id)).toEqual({ ok: false, error: "lastAdmin" });
    expect(
      await changeRoleAndScope(
        { kind: "cli" },
        { email: admin.email },
        { role: "LEARNER", scope: { kind: "national" } },
      ),
    ).toEqual({ ok: false, error: "lastAdmin" });
    expect(await deactivateUser({ kind: "cli" }, admin.id)).toEqual({ ok: false, error: "lastAdmin" });
    const row = await db.user.findUniqueOrThrow({ where: { id: admin.id } });
    expect([row.role, row.deactivatedAt]).toEqual(["ADMIN", null]);
  });

  it("can step down once another admin is active", async () => {
    const first = await person("ADMIN");
    await onlyAdmin(first);
    const second = await person("ADMIN");
    expect(
      await changeRoleAndScope(actor(first), { id: first.id }, { role: "TRAINER", scope: { kind: "national" } }),
    ).toEqual({ ok: true, changed: true });
    // Now `second` is the last one, and `first` may no longer act.
    expect(await deactivateUser(actor(second), second.id)).toEqual({ ok: false, error: "lastAdmin" });
    await expect(deactivateUser(actor(first), second.id)).rejects.toMatchObject({ status: 403 });
    // A deactivated admin does not count: the other one is still the last.
    const third = await person("ADMIN");
    expect(await deactivateUser(actor(second), third.id)).toEqual({ ok: true });
    expect(
      await changeRoleAndScope(actor(second), { id: second.id }, { role: "LEARNER", scope: { kind: "national" } }),
    ).toEqual({ ok: false, error: "lastAdmin" });
  });
  it("holds when two admins remove each other at the same moment", async () => {
    const a = await person("ADMIN");
    await onlyAdmin(a);
    const b = await person("ADMIN");
    const results = await Promise.allSettled([deactivateUser(actor(a), b.id), deactivateUser(actor(b), a.id)]);
    // The second finds its actor deactivated (403) or itself the last admin.
    expect(results.filter((r) => r.status === "fulfilled" && r.value.ok)).toHaveLength(1);
    expect(await db.user.count({ where: { role: "ADMIN", deactivatedAt: null } })).toBe(1);
  });
});

describe("deactivation", () => {
  it("ends every session at once, and reactivation lets the person back", async () => {
    const admin = await person("ADMIN");
    const learner = await person("LEARNER");
    const tokens = [generateSessionToken(), generateSessionToken()];
    for (const token of tokens) await createSession(token, learner.id);
    expect(await validateSessionToken(tokens[0]!)).not.toBeNull();

    expect(await deactivateUser(actor(admin), learner.id)).toEqual({ ok: true });
    for (const token of tokens) expect(await validateSessionToken(token)).toBeNull();
    expect(await db.session.count({ where: { userId: learner.id } })).toBe(0);
    expect((await db.user.findUniqueOrThrow({ where: { id: learner.id } })).deactivatedAt).not.toBeNull();
    const event = await db.auditEvent.findFirstOrThrow({ where: { action: "user.deactivate", targetId: learner.id } });
    expect([event.actorId, JSON.parse(event.details)]).toEqual([admin.id, { email: learner.email, sessionsEnded: 2 }]);

    expect(await reactivateUser(actor(admin), learner.id)).toEqual({ ok: true });
    expect((await db.user.findUniqueOrThrow({ where: { id: learner.id } })).deactivatedAt).toBeNull();
    expect(await db.auditEvent.count({ where: { action: "user.reactivate", targetId: learner.id } })).toBe(1);
  });
});

describe("invitations", () => {
  it("create the account, its 24-hour link, the email and the audit entry together", async () => {
    const admin = await person("ADMIN", "Trần Quản Trị");
    const email = `moi-${randomUUID().slice(0, 8)}@example.vn`;
    const before = await counts();
    const result = await inviteUser(actor(admin), {
      email: email.toUpperCase(),
      name: " Lê Văn Mới ",
      role: "TRAINER",
      scope: { kind: "agency", agency: "MOJ" },
      locale: "en",
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.link).toMatch(/\/set-password\/[a-z2-7]{32}$/);
    expect(await counts()).toEqual({
      users: before.users + 1,
      tokens: before.tokens + 1,
      emails: before.emails + 1,
      audits: before.audits + 1,
    });

    const user = await db.user.findUniqueOrThrow({ where: { email }, include: { scopeAgency: true, tokens: true } });
    expect(user).toMatchObject({
      id: result.userId,
      name: "Lê Văn Mới",
      role: "TRAINER",
      locale: "en",
      emailVerifiedAt: null,
      deactivatedAt: null,
    });
    expect(user.scopeAgency?.code).toBe("MOJ");
    expect(user.passwordHash).toMatch(/^\$argon2id\$/);
    expect(user.tokens).toHaveLength(1);
    expect(user.tokens[0]!.kind).toBe("SET_PASSWORD");
    expect(user.tokens[0]!.expiresAt.getTime() - Date.now()).toBeGreaterThan(23.9 * 3600_000);
    const message = await db.emailMessage.findUniqueOrThrow({ where: { id: result.messageId } });
    expect(message).toMatchObject({
      toEmail: email,
      template: "invite",
      status: "STORED",
      locale: "en",
      userId: user.id,
    });
    expect(message.text).toContain(result.link);
    expect(message.text).toContain("Trần Quản Trị");
    const event = await db.auditEvent.findFirstOrThrow({ where: { action: "user.invite", targetId: user.id } });
    expect(event).toMatchObject({
      actorId: admin.id,
      actorEmail: admin.email,
      targetType: "user",
      agencyId: user.scopeAgencyId,
    });
  });

  it("of an address that has an account change nothing", async () => {
    const admin = await person("ADMIN");
    const existing = await person("LEARNER");
    const before = await counts();
    const result = await inviteUser(actor(admin), {
      email: ` ${existing.email.toUpperCase()} `,
      name: "Ai Đó",
      role: "ADMIN",
      scope: { kind: "national" },
      locale: "vi",
    });
    expect(result).toEqual({ ok: false, error: "emailTaken" });
    expect(await counts()).toEqual(before);
    expect((await db.user.findUniqueOrThrow({ where: { id: existing.id } })).role).toBe("LEARNER");
  });

  it("leave nothing behind when a later step fails", async () => {
    const admin = await person("ADMIN");
    const before = await counts();
    vi.mocked(recordAudit).mockRejectedValueOnce(new Error("disk full"));
    await expect(
      inviteUser(actor(admin), {
        email: `x-${randomUUID()}@example.vn`,
        name: "Không Còn",
        role: "LEARNER",
        scope: { kind: "national" },
        locale: "vi",
      }),
    ).rejects.toThrow("disk full");
    expect(await counts()).toEqual(before);
  });

  it("refuse an unknown unit and change nothing", async () => {
    const admin = await person("ADMIN");
    const before = await counts();
    const invite = (scope: Parameters<typeof inviteUser>[1]["scope"]) =>
      inviteUser(actor(admin), {
        email: `x-${randomUUID()}@example.vn`,
        name: "Điều Phối",
        role: "COORDINATOR",
        scope,
        locale: "vi",
      });
    expect(await invite({ kind: "province", province: "Atlantis" })).toEqual({ ok: false, error: "unknownProvince" });
    expect(await invite({ kind: "agency", agency: "NOPE" })).toEqual({ ok: false, error: "unknownAgency" });
    expect(await counts()).toEqual(before);
  });
});

describe("role and scope", () => {
  it("maps a former province, by name or id, to its current unit", async () => {
    const admin = await person("ADMIN");
    const target = await person("LEARNER");
    const set = (province: string) =>
      changeRoleAndScope(
        actor(admin),
        { id: target.id },
        { role: "COORDINATOR", scope: { kind: "province", province } },
      );
    const current = async () =>
      provinceCode((await db.user.findUniqueOrThrow({ where: { id: target.id } })).scopeProvinceId);

    expect(await set("Hà Giang")).toEqual({ ok: true, changed: true });
    expect(await current()).toBe("cur-tuyen-quang");
    const binhDuong = await db.province.findUniqueOrThrow({ where: { code: "old-binh-duong" } });
    await set(binhDuong.id);
    expect(await current()).toBe("cur-ho-chi-minh");
    await set("tinh Nam Dinh");
    expect(await current()).toBe("cur-ninh-binh");
    await set("cur-hue");
    expect(await current()).toBe("cur-hue");
    expect(await set("Huế")).toEqual({ ok: true, changed: false });
    expect(await set("Atlantis")).toEqual({ ok: false, error: "unknownProvince" });
    expect(await current()).toBe("cur-hue");
  });

  it("is audited with old and new values, and a learner's or admin's scope is cleared", async () => {
    const admin = await person("ADMIN");
    const target = await person("LEARNER");
    await changeRoleAndScope(
      actor(admin),
      { id: target.id },
      { role: "TRAINER", scope: { kind: "agency", agency: "MOFA" } },
    );
    const mofa = await db.agency.findUniqueOrThrow({ where: { code: "MOFA" } });
    const events = await db.auditEvent.findMany({ where: { targetId: target.id }, orderBy: { id: "asc" } });
    expect(events.map((e) => [e.action, JSON.parse(e.details), e.agencyId])).toEqual([
      ["user.role", { from: "LEARNER", to: "TRAINER" }, mofa.id],
      [
        "user.scope",
        { from: { provinceId: null, agencyId: null }, to: { provinceId: null, agencyId: mofa.id } },
        mofa.id,
      ],
    ]);

    await changeRoleAndScope(
      actor(admin),
      { id: target.id },
      { role: "ADMIN", scope: { kind: "province", province: "Hà Nội" } },
    );
    const row = await db.user.findUniqueOrThrow({ where: { id: target.id } });
    expect([row.role, row.scopeProvinceId, row.scopeAgencyId]).toEqual(["ADMIN", null, null]);
  });

  it("takes a merged agency as its successor", async () => {
    const admin = await person("ADMIN");
    const target = await person("TRAINER");
    await changeRoleAndScope(
      actor(admin),
      { id: target.id },
      { role: "TRAINER", scope: { kind: "agency", agency: "MPI" } },
    );
    const row = await db.user.findUniqueOrThrow({ where: { id: target.id }, include: { scopeAgency: true } });
    expect(row.scopeAgency?.code).toBe("MOF");
  });
});

describe("unlocking", () => {
  it("forgets the failed logins that slow an account", async () => {
    const admin = await person("ADMIN");
    const target = await person("TRAINER");
    for (let i = 0; i < ACCOUNT_FREE_FAILURES; i++) await verifyLogin(target.email, `wrong-${i}`, "203.0.113.9");
    expect(await accountWaitMs(target.email)).toBeGreaterThan(0);
    const throttled = await listUsers(actor(admin), { status: "throttled" });
    expect(throttled.users.map((u) => [u.email, u.throttled])).toEqual([[target.email, true]]);
    expect((await getUserDetails(actor(admin), target.id))?.throttledMinutes).toBeGreaterThan(0);

    expect(await unlockUser(actor(admin), target.id)).toEqual({ ok: true, cleared: ACCOUNT_FREE_FAILURES });
    expect(await accountWaitMs(target.email)).toBe(0);
    expect((await listUsers(actor(admin), { status: "throttled" })).total).toBe(0);
    expect(await db.auditEvent.count({ where: { action: "user.unlock", targetId: target.id } })).toBe(1);
  });
});

describe("password reset by an admin", () => {
  it("sends the link and records it; not for a deactivated account", async () => {
    const admin = await person("ADMIN");
    const target = await person("LEARNER");
    const result = await sendPasswordReset(actor(admin), target.id);
    expect(result.ok && result.link).toMatch(/\/reset-password\/[a-z2-7]{32}$/);
    expect(await db.accountToken.count({ where: { userId: target.id, kind: "RESET_PASSWORD" } })).toBe(1);
    expect(await db.emailMessage.count({ where: { userId: target.id, template: "reset" } })).toBe(1);
    expect(await db.auditEvent.count({ where: { action: "user.password_reset_sent", targetId: target.id } })).toBe(1);
    await deactivateUser(actor(admin), target.id);
    expect(await sendPasswordReset(actor(admin), target.id)).toEqual({ ok: false, error: "deactivated" });
  });
});

describe("the people list", () => {
  it("searches, filters and pages", async () => {
    const admin = await person("ADMIN");
    const tag = randomUUID().slice(0, 6);
    const hanoi = await person("COORDINATOR", `Điều phối ${tag} Hà Nội`);
    await changeRoleAndScope(
      actor(admin),
      { id: hanoi.id },
      { role: "COORDINATOR", scope: { kind: "province", province: "Hà Nội" } },
    );
    const national = await person("COORDINATOR", `Điều phối ${tag} quốc gia`);
    const q = `phối ${tag}`;
    expect((await listUsers(actor(admin), { q })).users.map((u) => u.id).sort()).toEqual(
      [hanoi.id, national.id].sort(),
    );
    expect((await listUsers(actor(admin), { q: hanoi.email.toUpperCase() })).users.map((u) => u.id)).toEqual([
      hanoi.id,
    ]);
    expect(
      (await listUsers(actor(admin), { q, scope: { kind: "province", code: "cur-ha-noi" } })).users.map((u) => u.id),
    ).toEqual([hanoi.id]);
    expect((await listUsers(actor(admin), { q, scope: { kind: "national" } })).users.map((u) => u.id)).toEqual([
      national.id,
    ]);
    expect((await listUsers(actor(admin), { q, role: "TRAINER" })).total).toBe(0);
    expect((await listUsers(actor(admin), { q, status: "unverified" })).total).toBe(2);
    await deactivateUser(actor(admin), national.id);
    expect((await listUsers(actor(admin), { q, status: "deactivated" })).users.map((u) => u.id)).toEqual([national.id]);
    expect((await listUsers(actor(admin), { q, status: "active" })).users.map((u) => u.id)).toEqual([hanoi.id]);

    for (let i = 0; i < 51; i++) await person("LEARNER", `Trang ${tag} ${String(i).padStart(2, "0")}`);
    const page2 = await listUsers(actor(admin), { q: `Trang ${tag}`, page: 2 });
    expect([page2.total, page2.users.length, page2.users[0]!.name]).toEqual([51, 1, `Trang ${tag} 50`]);
  });
});

describe("course ownership", () => {
  it("goes to trainers and admins, and a course keeps an owner", async () => {
    const admin = await person("ADMIN");
    const course = await createPublishedCourse();
    const trainer = await person("TRAINER");
    const other = await person("TRAINER");
    const learner = await person("LEARNER");
    const as = actor(admin);

    expect(await addCourseOwner(as, learner.id, { course: course.code, role: "CO_OWNER" })).toEqual({
      ok: false,
      error: "cannotOwn",
    });
    expect(await addCourseOwner(as, trainer.id, { course: "no-such-course", role: "OWNER" })).toEqual({
      ok: false,
      error: "unknownCourse",
    });
    expect(await addCourseOwner(as, trainer.id, { course: course.code, role: "OWNER" })).toEqual({
      ok: true,
      course: course.code,
    });
    expect(await addCourseOwner(as, trainer.id, { course: course.id, role: "OWNER" })).toEqual({
      ok: false,
      error: "alreadyOwner",
    });
    expect(await addCourseOwner(as, other.id, { course: course.id, role: "CO_OWNER" })).toEqual({
      ok: true,
      course: course.code,
    });

    // The only owner can be neither removed nor made a co-owner.
    expect(await removeCourseOwner(as, trainer.id, course.id)).toEqual({ ok: false, error: "lastOwner" });
    expect(await addCourseOwner(as, trainer.id, { course: course.id, role: "CO_OWNER" })).toEqual({
      ok: false,
      error: "lastOwner",
    });
    // Once the co-owner is promoted, the first owner may go.
    expect(await addCourseOwner(as, other.id, { course: course.id, role: "OWNER" })).toEqual({
      ok: true,
      course: course.code,
    });
    expect(await removeCourseOwner(as, trainer.id, course.id)).toEqual({ ok: true, course: course.code });
    expect(await removeCourseOwner(as, trainer.id, course.id)).toEqual({ ok: false, error: "notOwner" });

    const owners = await db.courseOwner.findMany({ where: { courseId: course.id } });
    expect(owners.map((o) => [o.userId, o.role])).toEqual([[other.id, "OWNER"]]);
    const events = await db.auditEvent.findMany({
      where: { action: { startsWith: "course.owner" }, targetId: { in: [trainer.id, other.id] } },
      orderBy: { id: "asc" },
    });
    expect(events.map((e) => [e.action, e.targetId, JSON.parse(e.details).role])).toEqual([
      ["course.owner_add", trainer.id, "OWNER"],
      ["course.owner_add", other.id, "CO_OWNER"],
      ["course.owner_add", other.id, "OWNER"],
      ["course.owner_remove", trainer.id, "OWNER"],
    ]);
    // An owner cannot become a learner or coordinator while owning.
    expect(await changeRoleAndScope(as, { id: other.id }, { role: "LEARNER", scope: { kind: "national" } })).toEqual({
      ok: false,
      error: "stillOwns",
    });
    expect(
      await changeRoleAndScope(as, { id: trainer.id }, { role: "COORDINATOR", scope: { kind: "national" } }),
    ).toEqual({ ok: true, changed: true });

    const details = await getUserDetails(as, other.id);
    expect(details?.ownedCourses.map((o) => [o.course.code, o.role])).toEqual([[course.code, "OWNER"]]);
    expect(details?.audit.map((a) => a.action)).toEqual(["course.owner_add", "course.owner_add"]);
  });
});
