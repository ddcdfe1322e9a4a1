import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { describe, expect, it } from "vitest";
import { db } from "~/utils/db.server";
import * as account from "~/routes/account";
import * as signupPage from "~/routes/signup";
import * as verifyPage from "~/routes/verify-email.$token";
import { answerOf } from "../../tests/helpers/answer";
import { createLearner } from "../../tests/helpers/fixtures";
import { verifyLogin } from "./auth.server";
import { MAX_EMAILS_PER_ADDRESS } from "./rate-limit.server";
import { createSession, generateSessionToken, SESSION_COOKIE, validateSessionToken } from "./session.server";
import { createAccountToken } from "./tokens.server";
import { isEmailVerified, resendVerification, SIGNUP_MIN_MS, signUp, verifyEmailWithLink } from "./verification.server";

const DAY = 24 * 60 * 60 * 1000;

async function lastVerifyToken(email: string): Promise<string> {
  const message = await db.emailMessage.findFirstOrThrow({
    where: { toEmail: email, template: "verify" },
    orderBy: { id: "desc" },
  });
  return message.text.match(/\/verify-email\/([a-z2-7]{32})/)![1]!;
}

function signUpThroughPage(email: string, redirectTo?: string) {
  const form = new URLSearchParams({
    name: "Trần Thị B",
    email,
    password: "mot-mat-khau",
    confirmPassword: "mot-mat-khau",
    ...(redirectTo ? { redirectTo } : {}),
  });
  return signupPage.action({
    request: new Request("http://localhost/signup", { method: "POST", body: form }),
    params: {},
    context: { clientIp: "10.8.0.1" },
  } as ActionFunctionArgs) as Promise<Response>;
}

/** What the browser can tell apart: status, headers, body. */
async function visible(response: Response) {
  return { status: response.status, headers: [...response.headers.entries()], body: await response.text() };
}

describe("sign-up", () => {
  it("creates the account with its verification email, and signs no one in until the link is opened", async () => {
    const response = await signUpThroughPage("Moi.Dang.Ky@Example.vn", "/courses/iccpr-intro");
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe("/signup?sent=1&redirectTo=%2Fcourses%2Ficcpr-intro");
    expect(response.headers.get("Set-Cookie")).toBeNull();
    const user = await db.user.findUniqueOrThrow({ where: { email: "moi.dang.ky@example.vn" } });
    expect(user.emailVerifiedAt).toBeNull();
    expect(await db.emailMessage.count({ where: { toEmail: user.email, template: "verify", userId: user.id } })).toBe(
      1,
    );
    expect(await isEmailVerified(user.id)).toBe(false);

    // The link verifies, signs in and goes on to where sign-up started.
    const token = await lastVerifyToken(user.email);
    const link = (await db.emailMessage.findFirstOrThrow({ where: { toEmail: user.email, template: "verify" } })).text;
    expect(link).toContain(`/verify-email/${token}?next=%2Fcourses%2Ficcpr-intro`);
    const opened = (await verifyPage.loader({
      request: new Request(`http://localhost/verify-email/${token}?next=%2Fcourses%2Ficcpr-intro`),
      params: { token },
      context: {},
    } as LoaderFunctionArgs)) as Response;
    expect(opened.status).toBe(302);
    expect(opened.headers.get("Location")).toBe("/courses/iccpr-intro");
    const session = opened.headers.get("Set-Cookie")!.match(new RegExp(`${SESSION_COOKIE}=([^;]+)`))![1]!;
    expect((await validateSessionToken(session))?.user.id).toBe(user.id);
    expect(await isEmailVerified(user.id)).toBe(true);
  });

  it("answers an address that has an account exactly as a new one, and emails its owner instead", async () => {
    const { id, email } = await createLearner();
    const before = await db.user.findUniqueOrThrow({ where: { id } });
    const taken = await visible(await signUpThroughPage(email.toUpperCase()));
    const fresh = await visible(await signUpThroughPage("chua-co@example.vn"));
    expect(taken).toEqual(fresh);
    expect(await db.user.count({ where: { email } })).toBe(1);
    expect((await db.user.findUniqueOrThrow({ where: { id } })).passwordHash).toBe(before.passwordHash);
    expect(await db.session.count({ where: { userId: id } })).toBe(0);
    const told = await db.emailMessage.findMany({ where: { toEmail: email } });
    expect(told.map((m) => m.template)).toEqual(["accountExists"]);
    expect(told[0]!.text).toContain("/login");
    expect(told[0]!.text).toContain("/forgot-password");
  });

  it("tells an owner a few times an hour at most, and a deactivated account never", async () => {
    const { email } = await createLearner();
    for (let i = 0; i < MAX_EMAILS_PER_ADDRESS + 2; i++)
      expect(
        await signUp({ email, name: "Ai đó", password: "mot-mat-khau", locale: "vi" }, null, { minDurationMs: 0 }),
      ).toBe("existing");
    expect(await db.emailMessage.count({ where: { toEmail: email, template: "accountExists" } })).toBe(
      MAX_EMAILS_PER_ADDRESS,
    );
    const gone = await createLearner();
    await db.user.update({ where: { id: gone.id }, data: { deactivatedAt: new Date() } });
    expect(
      await signUp({ email: gone.email, name: "Ai đó", password: "mot-mat-khau", locale: "vi" }, null, {
        minDurationMs: 0,
      }),
    ).toBe("existing");
    expect(await db.emailMessage.count({ where: { toEmail: gone.email } })).toBe(0);
  });

  it("takes as long for an address with an account as for a new one", async () => {
    const { email } = await createLearner();
    const time = async (address: string) => {
      const started = performance.now();
      await signUp({ email: address, name: "Ai đó", password: "mot-mat-khau", locale: "vi" });
      return performance.now() - started;
    };
    const existing = [await time(email), await time(email)];
    const fresh = [await time("moi-1@example.vn"), await time("moi-2@example.vn")];
    for (const ms of [...existing, ...fresh]) expect(ms).toBeGreaterThanOrEqual(SIGNUP_MIN_MS - 5);
    expect(Math.abs(Math.min(...existing) - Math.min(...fresh))).toBeLessThan(100);
  });
});

describe("email verification", () => {
  it("marks the address verified once, whoever is signed in", async () => {
    const owner = await createLearner();
    const other = await createLearner();
    const token = await createAccountToken(owner.id, "VERIFY_EMAIL", db);
    const otherSession = generateSessionToken();
    await createSession(otherSession, other.id);
    const request = new Request(`http://localhost/verify-email/${token}`, {
      headers: { Cookie: `${SESSION_COOKIE}=${otherSession}` },
    });
    const page = await verifyPage.loader({ request, params: { token }, context: {} } as LoaderFunctionArgs);
    expect(page).toEqual({ email: owner.email, problem: null });
    expect(await isEmailVerified(owner.id)).toBe(true);
    expect(await isEmailVerified(other.id)).toBe(false);
    expect(await verifyEmailWithLink(token)).toEqual({ ok: false, reason: "used" });
  });

  it("refuses expired, unknown and other kinds of links", async () => {
    const { id } = await createLearner();
    const old = await createAccountToken(id, "VERIFY_EMAIL", db, new Date(Date.now() - 8 * DAY));
    expect(await verifyEmailWithLink(old)).toEqual({ ok: false, reason: "expired" });
    const reset = await createAccountToken(id, "RESET_PASSWORD", db);
    expect(await verifyEmailWithLink(reset)).toEqual({ ok: false, reason: "invalid" });
    expect(await verifyEmailWithLink("a".repeat(32))).toEqual({ ok: false, reason: "invalid" });
    expect(await isEmailVerified(id)).toBe(false);
  });

  it("keeps the first verification date", async () => {
    const { id } = await createLearner();
    const first = new Date("2026-01-02T03:04:05Z");
    await db.user.update({ where: { id }, data: { emailVerifiedAt: first } });
    await verifyEmailWithLink(await createAccountToken(id, "VERIFY_EMAIL", db));
    expect((await db.user.findUniqueOrThrow({ where: { id } })).emailVerifiedAt).toEqual(first);
  });

  it("resends from the account page, with a limit, and only the newest link works", async () => {
    const { id, email } = await createLearner();
    const cookieToken = generateSessionToken();
    await createSession(cookieToken, id);
    const resend = () =>
      account
        .action({
          request: new Request("http://localhost/account", {
            method: "POST",
            headers: { Cookie: `${SESSION_COOKIE}=${cookieToken}` },
            body: new URLSearchParams({ intent: "resend-verification" }),
          }),
          params: {},
          context: { clientIp: "10.6.0.1" },
        } as ActionFunctionArgs)
        .then(answerOf);

    const first = await resend();
    expect(first).toEqual({
      status: 200,
      body: { status: "ok", intent: "resend-verification", data: { resend: "sent" } },
    });
    const firstToken = await lastVerifyToken(email);
    for (let i = 1; i < MAX_EMAILS_PER_ADDRESS; i++) expect(await resendVerification(id, null)).toBe("sent");
    const limited = await resend();
    expect(limited).toEqual({
      status: 429,
      body: {
        status: "invalid",
        intent: "resend-verification",
        fieldErrors: {},
        formError: { key: "account:email.limited" },
      },
    });
    expect(await db.emailMessage.count({ where: { toEmail: email, template: "verify" } })).toBe(MAX_EMAILS_PER_ADDRESS);

    expect(await verifyEmailWithLink(firstToken)).toEqual({ ok: false, reason: "used" });
    expect(await verifyEmailWithLink(await lastVerifyToken(email))).toMatchObject({ ok: true, email, user: { id } });
    expect(await resendVerification(id, null)).toBe("already_verified");
    const page = await account.loader({
      request: new Request("http://localhost/account", { headers: { Cookie: `${SESSION_COOKIE}=${cookieToken}` } }),
      params: {},
      context: {},
    } as LoaderFunctionArgs);
    expect(page).toMatchObject({ emailVerified: true });
  });
});

describe("deactivated accounts", () => {
  it("lose their sessions and cannot sign in; only the right password hears why", async () => {
    const { id, email } = await createLearner();
    const token = generateSessionToken();
    await createSession(token, id);
    expect(await validateSessionToken(token)).not.toBeNull();
    await db.user.update({ where: { id }, data: { deactivatedAt: new Date() } });
    expect(await validateSessionToken(token)).toBeNull();
    expect(await verifyLogin(email, "mat-khau-dai-du", "10.7.0.1")).toEqual({ ok: false, reason: "deactivated" });
    expect(await verifyLogin(email, "wrong-password-x", "10.7.0.1")).toEqual({ ok: false, reason: "invalid" });
    expect(await db.session.count({ where: { userId: id } })).toBe(1); // the row stays; the check refuses it
  });
});
