// /admin/users and /admin/users/:userId called as Remix calls them, with a
// real session cookie: only admins get in, and the forms reach the domain.
import { randomUUID } from "node:crypto";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { beforeAll, describe, expect, it } from "vitest";
import { createSession, generateSessionToken, SESSION_COOKIE, validateSessionToken } from "~/auth/session.server";
import type { Role } from "~/generated/prisma-sqlite/enums";
import * as details from "~/routes/admin.users.$userId";
import * as list from "~/routes/admin.users._index";
import { seedReferenceData } from "~/setup/seed.server";
import { db } from "~/utils/db.server";
import { createPublishedCourse } from "../helpers/fixtures";

const cookies = {} as Record<Role, string>;
const users = {} as Record<Role, { id: string; email: string }>;

async function signedIn(role: Role) {
  const user = await db.user.create({
    data: {
      email: `${role.toLowerCase()}-${randomUUID().slice(0, 8)}@example.vn`,
      name: `Người ${role}`,
      passwordHash: "x",
      role,
    },
    select: { id: true, email: true },
  });
  const token = generateSessionToken();
  await createSession(token, user.id);
  return { user, cookie: `${SESSION_COOKIE}=${token}`, token };
}

beforeAll(async () => {
  await seedReferenceData();
  for (const role of ["LEARNER", "TRAINER", "COORDINATOR", "ADMIN"] as const) {
    const { user, cookie } = await signedIn(role);
    users[role] = user;
    cookies[role] = cookie;
  }
});

function request(path: string, cookie: string | null, form?: Record<string, string>) {
  return new Request(`http://localhost${path}`, {
    method: form ? "POST" : "GET",
    headers: cookie ? { Cookie: cookie } : {},
    body: form ? new URLSearchParams(form) : undefined,
  });
}

type Handler = (args: LoaderFunctionArgs & ActionFunctionArgs) => Promise<unknown>;

/** The handler's data, or the status of the Response it threw. */
async function call(
  handler: Handler,
  path: string,
  cookie: string | null,
  options: { params?: Record<string, string>; form?: Record<string, string> } = {},
) {
  try {
    return {
      status: 200,
      data: (await handler({
        request: request(path, cookie, options.form),
        params: options.params ?? {},
        context: {},
      })) as Record<string, unknown>,
    };
  } catch (thrown) {
    if (thrown instanceof Response) return { status: thrown.status, data: {} as Record<string, unknown> };
    throw thrown;
  }
}

const listLoader = list.loader as Handler;
const listAction = list.action as Handler;
const detailsLoader = details.loader as Handler;
const detailsAction = details.action as Handler;

describe("who may open the people pages", () => {
  it("sends a visitor to the login page and refuses everyone but admins", async () => {
    expect((await call(listLoader, "/admin/users", null)).status).toBe(302);
    for (const role of ["LEARNER", "TRAINER", "COORDINATOR"] as const) {
      expect((await call(listLoader, "/admin/users", cookies[role])).status).toBe(403);
      expect(
        (
          await call(listAction, "/admin/users", cookies[role], {
            form: { email: "x@example.vn", name: "Ai Đó", role: "ADMIN" },
          })
        ).status,
      ).toBe(403);
      expect(
        (
          await call(detailsLoader, `/admin/users/${users.LEARNER.id}`, cookies[role], {
            params: { userId: users.LEARNER.id },
          })
        ).status,
      ).toBe(403);
      const posted = await call(detailsAction, `/admin/users/${users.LEARNER.id}`, cookies[role], {
        params: { userId: users.LEARNER.id },
        form: { intent: "role", role: "ADMIN" },
      });
      expect(posted.status).toBe(403);
    }
    expect(await db.user.count({ where: { email: "x@example.vn" } })).toBe(0);
    expect((await db.user.findUniqueOrThrow({ where: { id: users.LEARNER.id } })).role).toBe("LEARNER");
  });
});

describe("/admin/users", () => {
  it("lists people with filters from the query string, each linking to their page", async () => {
    const all = await call(listLoader, "/admin/users", cookies.ADMIN);
    expect(all.status).toBe(200);
    expect((all.data.users as { id: string }[]).map((u) => u.id)).toEqual(
      expect.arrayContaining(Object.values(users).map((u) => u.id)),
    );
    const coordinators = await call(
      listLoader,
      "/admin/users?role=COORDINATOR&status=active&scope=national&q=",
      cookies.ADMIN,
    );
    expect((coordinators.data.users as { id: string }[]).map((u) => u.id)).toEqual([users.COORDINATOR.id]);
    expect(coordinators.data.filters).toEqual({ q: "", role: "COORDINATOR", scope: "national", status: "active" });
    expect((coordinators.data.choices as { provinces: unknown[] }).provinces).toHaveLength(34);
  });

  it("invites a person, and refuses a second invitation of the address with a translated error", async () => {
    const quangNam = await db.province.findUniqueOrThrow({ where: { code: "old-quang-nam" } });
    const form = {
      email: "Moi.Nguoi@Example.vn",
      name: "Người Mới",
      role: "COORDINATOR",
      province: quangNam.id,
      agency: "",
      locale: "vi",
    };
    const invited = await call(listAction, "/admin/users", cookies.ADMIN, { form });
    expect(invited.data).toMatchObject({
      status: "ok",
      data: { notice: "invite.stored", email: "moi.nguoi@example.vn" },
    });
    const user = await db.user.findUniqueOrThrow({
      where: { email: "moi.nguoi@example.vn" },
      include: { scopeProvince: true },
    });
    expect([(invited.data.data as { userId: string }).userId, user.role, user.scopeProvince?.code]).toEqual([
      user.id,
      "COORDINATOR",
      "cur-da-nang",
    ]);
    expect(await db.auditEvent.findFirst({ where: { targetId: user.id } })).toMatchObject({
      action: "user.invite",
      actorId: users.ADMIN.id,
    });

    const emails = await db.emailMessage.count();
    const again = await call(listAction, "/admin/users", cookies.ADMIN, {
      form: { ...form, name: "Ai Khác", role: "ADMIN" },
    });
    expect(again.data).toEqual({
      status: "invalid",
      formError: { key: "errors.emailTaken" },
      fieldErrors: { email: "people:errors.emailTaken" },
    });
    expect(await db.emailMessage.count()).toBe(emails);
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).role).toBe("COORDINATOR");
  });

  it("answers a bad form with field errors", async () => {
    const bad = await call(listAction, "/admin/users", cookies.ADMIN, {
      form: { email: "nope", name: "", role: "KING", province: "x", agency: "y" },
    });
    expect(bad.data.fieldErrors).toEqual({
      email: "people:validation.email",
      name: "people:validation.name",
      role: "people:validation.role",
    });
    const both = await call(listAction, "/admin/users", cookies.ADMIN, {
      form: { email: "a@example.vn", name: "Ai Đó", role: "TRAINER", province: "x", agency: "y" },
    });
    expect(both.data.fieldErrors).toEqual({ agency: "people:validation.oneUnit" });
  });
});

describe("/admin/users/:userId", () => {
  it("shows the person, 404 for no one", async () => {
    const page = await call(detailsLoader, "/", cookies.ADMIN, { params: { userId: users.TRAINER.id } });
    expect(page.data).toMatchObject({
      user: { id: users.TRAINER.id, email: users.TRAINER.email, role: "TRAINER", throttledMinutes: 0 },
    });
    expect((await call(detailsLoader, "/", cookies.ADMIN, { params: { userId: "nobody" } })).status).toBe(404);
    expect(
      (await call(detailsAction, "/", cookies.ADMIN, { params: { userId: "nobody" }, form: { intent: "unlock" } }))
        .status,
    ).toBe(404);
  });

  it("changes role and scope, deactivates (ending sessions) and reactivates", async () => {
    const { user, token } = await signedIn("LEARNER");
    const at = (form: Record<string, string>) =>
      call(detailsAction, "/", cookies.ADMIN, { params: { userId: user.id }, form });
    expect((await at({ intent: "role", role: "TRAINER", province: "", agency: "" })).data).toMatchObject({
      status: "ok",
      intent: "role",
      data: { notice: "details.saved" },
    });
    expect((await at({ intent: "role", role: "TRAINER", province: "", agency: "" })).data).toMatchObject({
      status: "ok",
      data: { notice: "details.unchanged" },
    });
    expect((await at({ intent: "deactivate" })).data).toMatchObject({
      status: "ok",
      data: { notice: "details.deactivated" },
    });
    expect(await validateSessionToken(token)).toBeNull();
    expect((await at({ intent: "reset" })).data).toMatchObject({
      status: "invalid",
      formError: { key: "errors.deactivated" },
    });
    expect((await at({ intent: "reactivate" })).data).toMatchObject({
      status: "ok",
      data: { notice: "details.reactivated" },
    });
    expect((await at({ intent: "reset" })).data).toMatchObject({
      status: "ok",
      data: { notice: "details.resetStored", values: { email: user.email } },
    });
    expect((await at({ intent: "unlock" })).data).toMatchObject({ status: "ok", data: { notice: "details.unlocked" } });

    const course = await createPublishedCourse();
    expect((await at({ intent: "addOwner", course: course.id, ownerRole: "OWNER" })).data).toMatchObject({
      status: "ok",
      data: { notice: "details.ownerAdded", values: { course: course.code } },
    });
    expect((await at({ intent: "removeOwner", course: course.id })).data).toMatchObject({
      status: "invalid",
      formError: { key: "errors.lastOwner" },
    });
    expect((await at({ intent: "addOwner", course: "", ownerRole: "BOSS" })).data).toMatchObject({
      status: "invalid",
      fieldErrors: { course: "people:validation.course", ownerRole: "people:validation.ownerRole" },
    });

    const page = await call(detailsLoader, "/", cookies.ADMIN, { params: { userId: user.id } });
    expect((page.data.ownedCourses as { code: string }[]).map((c) => c.code)).toEqual([course.code]);
    expect((page.data.audit as { action: string }[]).map((a) => a.action)).toEqual([
      "course.owner_add",
      "user.unlock",
      "user.password_reset_sent",
      "user.reactivate",
      "user.deactivate",
      "user.role",
    ]);
  });

  it("keeps the last admin, even on their own page", async () => {
    await db.user.updateMany({
      where: { role: "ADMIN", id: { not: users.ADMIN.id } },
      data: { deactivatedAt: new Date() },
    });
    const self = (form: Record<string, string>) =>
      call(detailsAction, "/", cookies.ADMIN, { params: { userId: users.ADMIN.id }, form });
    expect((await self({ intent: "deactivate" })).data).toMatchObject({
      status: "invalid",
      formError: { key: "errors.lastAdmin" },
    });
    expect((await self({ intent: "role", role: "LEARNER" })).data).toMatchObject({
      status: "invalid",
      formError: { key: "errors.lastAdmin" },
    });
    expect(await db.user.findUniqueOrThrow({ where: { id: users.ADMIN.id } })).toMatchObject({
      role: "ADMIN",
      deactivatedAt: null,
    });
  });
});
