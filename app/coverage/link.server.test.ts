import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSession, generateSessionToken, SESSION_COOKIE } from "~/auth/session.server";
import { isEmailVerified } from "~/auth/verification.server";
import * as invitePage from "~/routes/invite.$token";
import * as myLearning from "~/routes/my-learning";
import * as personPage from "~/routes/coverage.roster.$personId";
import * as signupPage from "~/routes/signup";
import * as verifyPage from "~/routes/verify-email.$token";
import { seedReferenceData } from "~/setup/seed.server";
import { db } from "~/utils/db.server";
import { completeOnline, createCoordinator, importRosterCsv, ROSTER_HEAD } from "../../tests/helpers/coverage";
import { createPublishedCourse } from "../../tests/helpers/fixtures";
import { parseIsoDay } from "./dates";
import { acceptInvite, confirmRosterMatch, issueInvite, rosterMatchesFor, unlinkAccount } from "./link.server";
import { coverageAsOf } from "./report.server";
import { SYSTEM_ACTOR } from "./scope.server";
import { closeSql } from "~/db/sql.server";
import { verifyCoverage } from "./verify.server";

// One person, one identity: an account becomes a roster person's only when
// its email is verified and the person says so (an invitation, or "this is
// me"); an import, a sign-up or a verification never links by itself.

beforeAll(seedReferenceData);
afterAll(closeSql);

const DAYS = ["2024-03-31", "2024-04-01", "2025-05-05", "2026-01-01"].map((d) => parseIsoDay(d)!);
const PASSWORD = "mot-mat-khau";

async function cookieFor(userId: string) {
  const token = generateSessionToken();
  await createSession(token, userId);
  return `${SESSION_COOKIE}=${token}`;
}

function post(path: string, cookie: string, fields: Record<string, string>) {
  return new Request(`http://localhost${path}`, {
    method: "POST",
    headers: { Cookie: cookie },
    body: new URLSearchParams(fields),
  });
}

async function signUpThroughPage(email: string) {
  const form = new URLSearchParams({ name: "Học viên", email, password: PASSWORD, confirmPassword: PASSWORD });
  const response = (await signupPage.action({
    request: new Request("http://localhost/signup", { method: "POST", body: form }),
    params: {},
    context: {},
  } as ActionFunctionArgs)) as Response;
  expect(response.status).toBe(302);
  return db.user.findUniqueOrThrow({ where: { email } });
}

async function verifyThroughLink(email: string) {
  const message = await db.emailMessage.findFirstOrThrow({
    where: { toEmail: email, template: "verify" },
    orderBy: { id: "desc" },
  });
  const token = message.text.match(/\/verify-email\/([a-z2-7]{32})/)![1]!;
  await verifyPage.loader({
    request: new Request(`http://localhost/verify-email/${token}`),
    params: { token },
    context: {},
  } as LoaderFunctionArgs);
}

const person = (code: string) =>
  db.rosterPerson.findUniqueOrThrow({ where: { personnelCode: code }, include: { trainingRecords: true } });

async function trainedInHrWork(day: string) {
  const rows = await coverageAsOf(SYSTEM_ACTOR, parseIsoDay(day)!, "group", { groupCode: "HR_WORK" });
  return rows[0]?.trained ?? 0;
}

describe("linking takes a verified email and the person's consent", () => {
  it("does not link at sign-up nor at email verification; the learner's 'this is me' links and brings in earlier courses", async () => {
    await importRosterCsv(`${ROSTER_HEAD}\nID-1,Nguyễn Thị Hoa,hoa@example.vn,Bộ Tư pháp,Hà Nội,HR_WORK,,,\n`);
    const user = await signUpThroughPage("hoa@example.vn");
    expect((await person("ID-1")).userId).toBeNull();

    const course = await createPublishedCourse();
    // 2024-03-31 at 20:00 UTC is 1 April in Vietnam: the record is dated when it happened.
    // Until linked, finishing a course records nothing for the unit.
    expect(await completeOnline(user.id, course.code, new Date("2024-03-31T20:00:00Z"))).toBe(true);
    expect(await db.trainingRecord.count({ where: { courseCode: course.code } })).toBe(0);

    const cookie = await cookieFor(user.id);
    const before = (await myLearning.loader({
      request: new Request("http://localhost/my-learning", { headers: { Cookie: cookie } }),
      params: {},
      context: {},
    } as LoaderFunctionArgs)) as {
      rosterMatches: unknown[];
    };
    expect(before.rosterMatches).toEqual([]); // an unproven address sees no roster entry
    const target = await person("ID-1");
    const refused = await myLearning.action({
      request: post("/my-learning", cookie, { intent: "confirm-roster", personId: target.id }),
      params: {},
      context: {},
    } as ActionFunctionArgs);
    expect(refused).toEqual({ status: "invalid", fieldErrors: {}, formError: { key: "learn:rosterMatch.unverified" } });

    await verifyThroughLink("hoa@example.vn");
    expect(await isEmailVerified(user.id)).toBe(true);
    expect((await person("ID-1")).userId).toBeNull();

    const offered = (await myLearning.loader({
      request: new Request("http://localhost/my-learning", { headers: { Cookie: cookie } }),
      params: {},
      context: {},
    } as LoaderFunctionArgs)) as {
      rosterMatches: { id: string; fullName: string }[];
    };
    expect(offered.rosterMatches.map((m) => [m.id, m.fullName])).toEqual([[target.id, "Nguyễn Thị Hoa"]]);
    const trainedBefore = await trainedInHrWork("2024-04-01");
    const linked = await myLearning.action({
      request: post("/my-learning", cookie, { intent: "confirm-roster", personId: target.id }),
      params: {},
      context: {},
    } as ActionFunctionArgs);
    expect(linked).toEqual({ status: "ok", data: null });
    const after = await person("ID-1");
    expect(after.userId).toBe(user.id);
    expect(after.trainingRecords.map((r) => [r.courseCode, r.completedOn.toISOString().slice(0, 10), r.mode])).toEqual([
      [course.code, "2024-04-01", "ONLINE"],
    ]);
    expect(await trainedInHrWork("2024-04-01")).toBe(trainedBefore + 1);
    expect(await verifyCoverage(SYSTEM_ACTOR, DAYS)).toEqual([]);
    expect(await db.auditEvent.count({ where: { action: "person.link", targetId: target.id } })).toBe(1);
  });

  it("confirms only a roster entry with the account's own verified email", async () => {
    await importRosterCsv(`${ROSTER_HEAD}\nID-2,Trần Văn Nam,nam@example.vn,Bộ Tư pháp,Hà Nội,HR_WORK,,,\n`);
    const other = await db.user.create({
      data: { email: "khac@example.vn", name: "Khác", passwordHash: "x", emailVerifiedAt: new Date() },
    });
    expect(await rosterMatchesFor(other.id)).toEqual([]);
    expect(await confirmRosterMatch(other.id, (await person("ID-2")).id)).toBe("notFound");
    expect((await person("ID-2")).userId).toBeNull();
  });

  it("an unverified account cannot accept an invitation, and is told to verify first", async () => {
    await importRosterCsv(`${ROSTER_HEAD}\nID-3,Lê Thu,,Bộ Tư pháp,Hà Nội,HR_WORK,,,\n`);
    const token = (await issueInvite(SYSTEM_ACTOR, (await person("ID-3")).id))!;
    const user = await signUpThroughPage("thu@example.vn");
    const cookie = await cookieFor(user.id);
    const page = (await invitePage.loader({
      request: new Request(`http://localhost/invite/${token}`, { headers: { Cookie: cookie } }),
      params: { token },
      context: {},
    } as LoaderFunctionArgs)) as {
      user: { verified: boolean } | null;
    };
    expect(page.user).toEqual({ email: "thu@example.vn", verified: false });
    const refused = await invitePage.action({
      request: post(`/invite/${token}`, cookie, {}),
      params: { token },
      context: {},
    } as ActionFunctionArgs);
    expect(refused).toEqual({ status: "invalid", fieldErrors: {}, formError: { key: "coverage:invite.unverified" } });
    expect((await person("ID-3")).userId).toBeNull();

    await verifyThroughLink("thu@example.vn");
    expect(await acceptInvite(token, user.id)).toBe("linked");
    expect((await person("ID-3")).userId).toBe(user.id);
    expect(await verifyCoverage(SYSTEM_ACTOR, DAYS)).toEqual([]);
  });
});

describe("a coordinator's import", () => {
  it("never links an account by its email, nor shows it on the person page", async () => {
    const account = await db.user.create({
      data: { email: "tam@example.vn", name: "Tâm", passwordHash: "x", emailVerifiedAt: new Date() },
    });
    const { user, actor } = await createCoordinator("dieuphoi.id@example.vn", { provinceCode: "cur-ha-noi" });
    const outcome = await importRosterCsv(
      `${ROSTER_HEAD}\nID-4,Phạm Tâm,TAM@example.vn,Bộ Tư pháp,Hà Nội,HR_WORK,,,\n`,
      { actor },
    );
    expect(outcome.counts.created).toBe(1);
    expect(JSON.stringify(outcome)).not.toContain(account.id);
    const imported = await person("ID-4");
    expect(imported.userId).toBeNull();
    const cookie = await cookieFor(user.id);
    const page = await personPage.loader({
      request: new Request(`http://localhost/coverage/roster/${imported.id}`, { headers: { Cookie: cookie } }),
      params: { personId: imported.id },
      context: {},
    } as LoaderFunctionArgs);
    expect(page.person.linked).toBe(false);
    expect(page.person.accountEmail).toBeNull();
    // The roster's email is the coordinator's own data; the account's is not shown.
    expect(JSON.stringify(page)).not.toContain(account.id);
  });

  it("tells a provincial or agency coordinator a neutral reason for another unit's code; the national level may change the person", async () => {
    await importRosterCsv(`${ROSTER_HEAD}\nID-DN,Người Đà Nẵng,,Bộ Tư pháp,Đà Nẵng,HR_WORK,,,\n`);
    const row = `${ROSTER_HEAD}\nID-DN,Đổi Tên,,Bộ Tư pháp,Hà Nội,HR_WORK,,,\nID-NONE,Không Có,,Bộ Tư pháp,Đà Nẵng,HR_WORK,,,\n`;
    const { actor: hanoi } = await createCoordinator("dieuphoi.id2@example.vn", { provinceCode: "cur-ha-noi" });
    const provincial = await importRosterCsv(row, { actor: hanoi });
    expect(provincial.rejects.map((r) => [r.row, r.field, r.reason])).toEqual([
      [2, "personnel_code", "codeNotInScope"],
      [3, "province", "outOfScope"],
    ]);
    // Nothing is hidden from the national level: the same row is simply accepted.
    const { actor: national } = await createCoordinator("dieuphoi.quocgia.id@example.vn");
    await importRosterCsv(`${ROSTER_HEAD}\nID-YT,Cán bộ Bộ Y tế,,Bộ Y tế,Hà Nội,HR_WORK,,,\n`);
    const { actor: moj } = await createCoordinator("dieuphoi.moj.id@example.vn", { agencyCode: "MOJ" });
    const agencyLevel = await importRosterCsv(`${ROSTER_HEAD}\nID-YT,Đổi Tên,,Bộ Tư pháp,Hà Nội,HR_WORK,,,\n`, {
      actor: moj,
    });
    expect(agencyLevel.rejects.map((r) => [r.row, r.field, r.reason])).toEqual([
      [2, "personnel_code", "codeNotInScope"],
    ]);
    expect(
      await importRosterCsv(`${ROSTER_HEAD}\nID-YT,Đổi Tên,,Bộ Tư pháp,Hà Nội,HR_WORK,,,\n`, { actor: national }).then(
        (o) => o.rejects,
      ),
    ).toEqual([]);
    expect((await person("ID-YT")).fullName).toBe("Đổi Tên");
  });
});

describe("undoing a wrong link", () => {
  it("is for a coordinator in scope or an admin, with a reason, audited, and restores the facts", async () => {
    await importRosterCsv(`${ROSTER_HEAD}\nID-5,Võ Minh,minh5@example.vn,Bộ Tư pháp,Hà Nội,HR_WORK,,,\n`);
    const wrong = await db.user.create({
      data: { email: "minh5@example.vn", name: "Ai Khác", passwordHash: "x", emailVerifiedAt: new Date() },
    });
    const course = await createPublishedCourse();
    await db.courseCompletion.create({
      data: {
        userId: wrong.id,
        courseId: course.id,
        completedAt: new Date("2025-05-05T03:00:00Z"),
        certificateCode: "ID-C5",
      },
    });
    const target = await person("ID-5");
    const trainedBefore = await trainedInHrWork("2025-05-05");
    expect(await confirmRosterMatch(wrong.id, target.id)).toBe("linked");
    expect(await trainedInHrWork("2025-05-05")).toBe(trainedBefore + 1);

    const { user: daNangUser, actor: daNang } = await createCoordinator("dieuphoi.dn.id@example.vn", {
      provinceCode: "cur-da-nang",
    });
    const daNangCookie = await cookieFor(daNangUser.id);
    const outside = await personPage
      .action({
        request: post(`/coverage/roster/${target.id}`, daNangCookie, { intent: "unlink", reason: "Nhầm người" }),
        params: { personId: target.id },
        context: {},
      } as ActionFunctionArgs)
      .catch((r: Response) => r);
    expect((outside as Response).status).toBe(404);
    expect(await unlinkAccount(daNang, target.id, "Nhầm người", { id: daNangUser.id, email: daNangUser.email })).toBe(
      "notFound",
    );
    expect((await person("ID-5")).userId).toBe(wrong.id);

    const { user: hanoiUser } = await createCoordinator("dieuphoi.hn.id@example.vn", { provinceCode: "cur-ha-noi" });
    const cookie = await cookieFor(hanoiUser.id);
    const noReason = await personPage.action({
      request: post(`/coverage/roster/${target.id}`, cookie, { intent: "unlink", reason: " " }),
      params: { personId: target.id },
      context: {},
    } as ActionFunctionArgs);
    expect(noReason).toMatchObject({
      status: "invalid",
      intent: "unlink",
      fieldErrors: { reason: "coverage:person.unlinkReasonRequired" },
    });
    expect((await person("ID-5")).userId).toBe(wrong.id);

    const done = await personPage.action({
      request: post(`/coverage/roster/${target.id}`, cookie, {
        intent: "unlink",
        reason: "Tài khoản của người khác trùng email",
      }),
      params: { personId: target.id },
      context: {},
    } as ActionFunctionArgs);
    expect(done).toMatchObject({ status: "ok", intent: "unlink", data: { outcome: "unlinked" } });
    const after = await person("ID-5");
    expect(after.userId).toBeNull();
    expect(after.trainingRecords.filter((r) => r.mode === "ONLINE")).toEqual([]);
    expect(await trainedInHrWork("2025-05-05")).toBe(trainedBefore);
    expect(await verifyCoverage(SYSTEM_ACTOR, DAYS)).toEqual([]);
    const audit = await db.auditEvent.findFirstOrThrow({ where: { action: "person.unlink", targetId: target.id } });
    expect(audit.actorId).toBe(hanoiUser.id);
    expect(audit.provinceId).toBe(after.provinceId);
    expect(JSON.parse(audit.details)).toMatchObject({
      reason: "Tài khoản của người khác trùng email",
      account: "minh5@example.vn",
      removedRecords: 1,
    });

    // The wrong account no longer counts for the person; the right one can link.
    expect(await completeOnline(wrong.id, (await createPublishedCourse()).code, new Date("2025-06-01T03:00:00Z"))).toBe(
      true,
    );
    expect((await person("ID-5")).trainingRecords).toEqual([]);
    const right = await db.user.create({
      data: { email: "minh5.dung@example.vn", name: "Võ Minh", passwordHash: "x", emailVerifiedAt: new Date() },
    });
    const token = (await issueInvite(SYSTEM_ACTOR, target.id))!;
    expect(await acceptInvite(token, right.id)).toBe("linked");
    expect(await verifyCoverage(SYSTEM_ACTOR, DAYS)).toEqual([]);
  });

  it("keeps an imported record that happens to share the course and day", async () => {
    await importRosterCsv(`${ROSTER_HEAD}\nID-6,Đỗ An,an6@example.vn,Bộ Tư pháp,Hà Nội,HR_WORK,,,\n`);
    const account = await db.user.create({
      data: { email: "an6@example.vn", name: "An", passwordHash: "x", emailVerifiedAt: new Date() },
    });
    const target = await person("ID-6");
    expect(await confirmRosterMatch(account.id, target.id)).toBe("linked");
    await db.trainingRecord.create({
      data: {
        personId: target.id,
        courseCode: "paper-course",
        completedOn: new Date("2024-02-01T00:00:00Z"),
        mode: "IN_PERSON",
        source: "IMPORT",
      },
    });
    expect(await unlinkAccount(SYSTEM_ACTOR, target.id, "Sai", { id: null, email: "cli" })).toBe("unlinked");
    expect(await unlinkAccount(SYSTEM_ACTOR, target.id, "Sai", { id: null, email: "cli" })).toBe("notLinked");
    expect((await person("ID-6")).trainingRecords.map((r) => r.mode)).toEqual(["IN_PERSON"]);
  });
});
