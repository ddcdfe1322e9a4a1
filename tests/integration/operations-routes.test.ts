// The reminder, unsubscribe and rule-withdrawal routes as Remix calls them,
// with a real session cookie.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSession, generateSessionToken, SESSION_COOKIE } from "~/auth/session.server";
import { closeSql } from "~/db/sql.server";
import { seedReferenceData } from "~/setup/seed.server";
import { db } from "~/utils/db.server";
import { createCoordinator, importRosterCsv, ROSTER_HEAD } from "../helpers/coverage";

import * as admin from "~/routes/admin.target-groups";
import * as dashboard from "~/routes/coverage._index";
import * as followUp from "~/routes/coverage.follow-up";
import * as progress from "~/routes/coverage.reminders.$jobId";
import * as reminders from "~/routes/coverage.reminders._index";
import * as unsubscribe from "~/routes/unsubscribe.$token";

let hanoiCookie = "";
let otherCookie = "";
let adminCookie = "";

async function cookieFor(userId: string) {
  const token = generateSessionToken();
  await createSession(token, userId);
  return `${SESSION_COOKIE}=${token}`;
}

function request(path: string, cookie: string, init: RequestInit = {}) {
  return new Request(`http://localhost${path}`, { ...init, headers: { Cookie: cookie, ...(init.headers ?? {}) } });
}

async function settle(run: () => unknown) {
  try {
    const result = await run();
    if (result instanceof Response)
      return { status: result.status, location: result.headers.get("Location"), data: null as unknown };
    return { status: 200, location: null, data: result as unknown };
  } catch (thrown) {
    if (thrown instanceof Response) return { status: thrown.status, location: null, data: null };
    throw thrown;
  }
}

const load = (
  loader: (a: LoaderFunctionArgs) => unknown,
  path: string,
  cookie: string,
  params: Record<string, string> = {},
) => settle(() => loader({ request: request(path, cookie), params, context: {} }));
const act = (
  action: (a: ActionFunctionArgs) => unknown,
  path: string,
  cookie: string,
  form: Record<string, string>,
  params: Record<string, string> = {},
) =>
  settle(() =>
    action({
      request: request(path, cookie, { method: "POST", body: new URLSearchParams(form) }),
      params,
      context: {},
    }),
  );

beforeAll(async () => {
  await seedReferenceData();
  await importRosterCsv(`${ROSTER_HEAD}
R-1,Người Hà Nội,r1@example.vn,Bộ Tư pháp,Hà Nội,HR_WORK,,,
R-2,Người Đà Nẵng,r2@example.vn,Bộ Tư pháp,Đà Nẵng,HR_WORK,,,
`);
  const hanoi = await createCoordinator("hn.routes@example.vn", { provinceCode: "cur-ha-noi" });
  const other = await createCoordinator("other.routes@example.vn", { provinceCode: "cur-ha-noi" });
  const adminUser = await db.user.create({
    data: { email: "admin.routes@example.vn", name: "A", passwordHash: "x", role: "ADMIN" },
  });
  hanoiCookie = await cookieFor(hanoi.user.id);
  otherCookie = await cookieFor(other.user.id);
  adminCookie = await cookieFor(adminUser.id);
});
afterAll(closeSql);

describe("reminders", () => {
  let jobPath = "";

  it("previews within the scope and sends to a progress page", async () => {
    const preview = await load(reminders.loader, "/coverage/reminders?group=HR_WORK", hanoiCookie);
    expect(preview.data).toMatchObject({ preview: { untrained: 1, reach: 1 } });
    expect(JSON.stringify(preview.data)).not.toContain("Đà Nẵng");
    const sent = await act(reminders.action, "/coverage/reminders?index", hanoiCookie, { group: "HR_WORK" });
    expect(sent.status).toBe(302);
    expect(sent.location).toMatch(/^\/coverage\/reminders\/c[a-z0-9]+$/);
    jobPath = sent.location!;
    const jobId = jobPath.split("/").pop()!;
    const page = await load(progress.loader, jobPath, hanoiCookie, { jobId });
    expect(page.data).toMatchObject({ job: { status: "QUEUED" } });
    // Another coordinator cannot follow someone else's job.
    expect((await load(progress.loader, jobPath, otherCookie, { jobId })).status).toBe(404);
  });

  it("the follow-up list offers the reminder", async () => {
    const page = await load(followUp.loader, "/coverage/follow-up?group=HR_WORK", hanoiCookie);
    expect(page.data).toMatchObject({
      total: 1,
      people: [{ personnelCode: "R-1", lastRemindedAt: null, reminderStatus: null }],
    });
  });
});

describe("unsubscribe", () => {
  it("says only 'not valid' for a bad token, and records a good one", async () => {
    expect((await load(unsubscribe.loader, "/unsubscribe/x", "", { token: "nope-nope-nope-nope" })).data).toEqual({
      valid: false,
    });
    expect((await act(unsubscribe.action, "/unsubscribe/x", "", {}, { token: "nope-nope-nope-nope" })).data).toEqual({
      status: "invalid",
      fieldErrors: {},
      formError: { key: "operations:unsubscribe.invalid" },
    });
    await db.emailMessage.create({
      data: {
        id: "m-unsub",
        toEmail: "someone@example.vn",
        locale: "vi",
        template: "reminder",
        subject: "s",
        text: "t",
        html: "h",
        status: "STORED",
        unsubscribeToken: "good-token-123456",
      },
    });
    expect((await load(unsubscribe.loader, "/unsubscribe/x", "", { token: "good-token-123456" })).data).toEqual({
      valid: true,
    });
    // Opening the page changes nothing; the button does.
    expect(await db.emailOptOut.count()).toBe(0);
    expect((await act(unsubscribe.action, "/unsubscribe/x", "", {}, { token: "good-token-123456" })).data).toEqual({
      status: "ok",
      data: null,
    });
    expect(await db.emailOptOut.findUnique({ where: { email: "someone@example.vn" } })).not.toBeNull();
  });
});

describe("withdrawing a rule version on the admin page", () => {
  it("needs a reason, and refuses the last version with a message", async () => {
    const [rule] = await db.targetGroupRule.findMany({ where: { group: { code: "HR_WORK" } } });
    const short = await act(admin.action, "/admin/target-groups", adminCookie, {
      intent: "withdraw",
      code: "HR_WORK",
      ruleId: rule!.id,
      reason: "x",
    });
    expect(short.data).toMatchObject({
      status: "invalid",
      fieldErrors: { reason: "operations:validation.reasonLength" },
    });
    const last = await act(admin.action, "/admin/target-groups", adminCookie, {
      intent: "withdraw",
      code: "HR_WORK",
      ruleId: rule!.id,
      reason: "bản cuối",
    });
    expect(last.data).toMatchObject({ status: "invalid", formError: { key: "operations:withdraw.lastVersion" } });
    expect(
      (
        await act(admin.action, "/admin/target-groups", hanoiCookie, {
          intent: "withdraw",
          ruleId: rule!.id,
          reason: "abc",
        })
      ).status,
    ).toBe(403);
  });

  it("withdraws a second version and shows it struck through with who and why", async () => {
    await act(admin.action, "/admin/target-groups", adminCookie, {
      intent: "rule",
      code: "HR_WORK",
      kind: "MIN_COUNT",
      minCount: "2",
      schemeStart: "2023-01-01",
      validFrom: "2025-01-01",
    });
    const added = await db.targetGroupRule.findFirstOrThrow({
      where: { group: { code: "HR_WORK" }, kind: "MIN_COUNT" },
    });
    // The chart marks the day the new version takes over...
    const before = await load(dashboard.loader, "/coverage?group=HR_WORK", hanoiCookie);
    expect((before.data as { changes: { date: string }[] }).changes.map((c) => c.date)).toEqual(["2025-01-01"]);
    const done = await act(admin.action, "/admin/target-groups", adminCookie, {
      intent: "withdraw",
      code: "HR_WORK",
      ruleId: added.id,
      reason: "Nhập nhầm",
    });
    expect(done.data).toMatchObject({ status: "ok", data: { notice: "operations:withdraw.done" } });
    // ...and no longer once it is withdrawn.
    const after = await load(dashboard.loader, "/coverage?group=HR_WORK", hanoiCookie);
    expect((after.data as { changes: unknown[] }).changes).toEqual([]);
    const page = await load(admin.loader, "/admin/target-groups", adminCookie);
    const group = (
      page.data as { groups: { code: string; rules: { id: string; withdrawn: unknown }[] }[] }
    ).groups.find((g) => g.code === "HR_WORK")!;
    expect(group.rules.find((r) => r.id === added.id)!.withdrawn).toMatchObject({ by: "A", reason: "Nhập nhầm" });
  });
});
