import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { describe, expect, it } from "vitest";
import { db } from "~/utils/db.server";
import * as account from "~/routes/account";
import * as signupPage from "~/routes/signup";
import * as verifyPage from "~/routes/verify-email.$token";
import { createLearner } from "../../tests/helpers/fixtures";
import { verifyLogin } from "./auth.server";
import { MAX_EMAILS_PER_ADDRESS } from "./rate-limit.server";
import { createSession, generateSessionToken, SESSION_COOKIE, validateSessionToken } from "./session.server";
import { createAccountToken } from "./tokens.server";
import { isEmailVerified, resendVerification, signUp, verifyEmailWithLink } from "./verification.server";

const DAY = 24 * 60 * 60 * 1000;

async function lastVerifyToken(email: string): Promise<string> {
  const message = await db.emailMessage.findFirstOrThrow({ where: { toEmail: email, template: "verify" }, orderBy: { id: "desc" } });
  return message.text.match(/\/verify-email\/([a-z2-7]{32})/)![1]!;
}

describe("sign-up", () => {
  it("creates the account with its verification email, through the sign-up page", async () => {
    const form = new URLSearchParams({ name: "Trần Thị B", email: "Moi.Dang.Ky@Example.vn", password: "mot-mat-khau", confirmPassword: "mot-mat-khau" });
    const response = (await signupPage.action({
      request: new Request("http://localhost/signup", { method: "POST", body: form }),
      params: {},
      context: {},
    } as ActionFunctionArgs)) as Response;
    expect(response.status).toBe(302);
    const user = await db.user.findUniqueOrThrow({ where: { email: "moi.dang.ky@example.vn" } });
    expect(user.emailVerifiedAt).toBeNull();
    expect(await db.emailMessage.count({ where: { toEmail: user.email, template: "verify", userId: user.id } })).toBe(1);
    expect(await isEmailVerified(user.id)).toBe(false);
  });

  it("refuses a taken address and writes nothing", async () => {
    const { email } = await createLearner();
    expect(await signUp({ email: email.toUpperCase(), name: "Ai đó", password: "mot-mat-khau", locale: "vi" })).toEqual({ ok: false, reason: "taken" });
    expect(await db.emailMessage.count({ where: { toEmail: email } })).toBe(0);
  });
});

describe("email verification", () => {
  it("marks the address verified once, whoever is signed in", async () => {
    const owner = await createLearner();
    const other = await createLearner();
    const token = await createAccountToken(owner.id, "VERIFY_EMAIL", db);
    const otherSession = generateSessionToken();
    await createSession(otherSession, other.id);
    const request = new Request(`http://localhost/verify-email/${token}`, { headers: { Cookie: `${SESSION_COOKIE}=${otherSession}` } });
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
      account.action({
        request: new Request("http://localhost/account", {
          method: "POST",
          headers: { Cookie: `${SESSION_COOKIE}=${cookieToken}` },
          body: new URLSearchParams({ intent: "resend-verification" }),
        }),
        params: {},
        context: { clientIp: "10.6.0.1" },
      } as ActionFunctionArgs) as Promise<Response>;

    const first = await resend();
    expect(await first.json()).toMatchObject({ resend: "sent" });
    const firstToken = await lastVerifyToken(email);
    for (let i = 1; i < MAX_EMAILS_PER_ADDRESS; i++) expect(await resendVerification(id, null)).toBe("sent");
    const limited = await resend();
    expect(limited.status).toBe(429);
    expect(await limited.json()).toMatchObject({ resend: "limited" });
    expect(await db.emailMessage.count({ where: { toEmail: email, template: "verify" } })).toBe(MAX_EMAILS_PER_ADDRESS);

    expect(await verifyEmailWithLink(firstToken)).toEqual({ ok: false, reason: "used" });
    expect(await verifyEmailWithLink(await lastVerifyToken(email))).toEqual({ ok: true, email });
    expect(await resendVerification(id, null)).toBe("already_verified");
    const page = await account.loader({ request: new Request("http://localhost/account", { headers: { Cookie: `${SESSION_COOKIE}=${cookieToken}` } }), params: {}, context: {} } as LoaderFunctionArgs);
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
