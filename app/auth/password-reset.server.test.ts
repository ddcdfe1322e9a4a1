import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { describe, expect, it } from "vitest";
import type { Role } from "~/generated/prisma-sqlite/enums";
import { db } from "~/utils/db.server";
import * as forgotPage from "~/routes/forgot-password";
import * as resetPage from "~/routes/reset-password.$token";
import * as setPage from "~/routes/set-password.$token";
import { createLearner } from "../../tests/helpers/fixtures";
import { verifyLogin } from "./auth.server";
import { passwordLink, requestPasswordReset, setPasswordWithLink } from "./password-reset.server";
import { MAX_EMAIL_REQUESTS_PER_IP, MAX_EMAILS_PER_ADDRESS } from "./rate-limit.server";
import {
  createSession,
  generateSessionToken,
  readSessionTokenFromCookie,
  validateSessionToken,
} from "./session.server";
import { createAccountToken } from "./tokens.server";

const HOUR = 60 * 60 * 1000;
const NEW_PASSWORD = "mat-khau-moi-2026";

/** The token of the newest reset link emailed to `email` (the outbox keeps the text). */
async function lastResetToken(email: string): Promise<string> {
  const message = await db.emailMessage.findFirstOrThrow({
    where: { toEmail: email, template: "reset" },
    orderBy: { id: "desc" },
  });
  return message.text.match(/\/reset-password\/([a-z2-7]{32})/)![1]!;
}

const sentTo = (email: string) => db.emailMessage.count({ where: { toEmail: email } });

function post(path: string, fields: Record<string, string>, ip = "10.20.0.1") {
  const request = new Request(`http://localhost${path}`, { method: "POST", body: new URLSearchParams(fields) });
  const token = path.split("/")[2] ?? "";
  return { request, params: { token }, context: { clientIp: ip } } as unknown as ActionFunctionArgs;
}

describe("forgot password", () => {
  it("emails a reset link to an existing account and audits it", async () => {
    const { id, email } = await createLearner();
    expect(await requestPasswordReset(email.toUpperCase(), "10.0.0.1", { minDurationMs: 0 })).toBe("sent");
    expect(await sentTo(email)).toBe(1);
    const token = await db.accountToken.findFirstOrThrow({ where: { userId: id, kind: "RESET_PASSWORD" } });
    expect(token.expiresAt.getTime() - token.createdAt.getTime()).toBeCloseTo(HOUR, -3);
    const audit = await db.auditEvent.findFirstOrThrow({ where: { action: "user.password_reset_sent", targetId: id } });
    expect(audit.ip).toBe("10.0.0.1");
  });

  it("answers the same page for a known and an unknown address, and sends nothing to the unknown", async () => {
    const { email } = await createLearner();
    const known = await forgotPage.action(post("/forgot-password", { email }));
    const unknown = await forgotPage.action(post("/forgot-password", { email: "nobody-here@example.vn" }));
    expect(unknown).toEqual(known);
    expect(known).toEqual({ status: "ok", data: null });
    expect(await sentTo(email)).toBe(1);
    expect(await sentTo("nobody-here@example.vn")).toBe(0);
  });

  it("takes no less time for an unknown address", async () => {
    const { email } = await createLearner();
    const timed = async (address: string) => {
      const start = Date.now();
      await requestPasswordReset(address, null, { minDurationMs: 150 });
      return Date.now() - start;
    };
    expect(await timed(email)).toBeGreaterThanOrEqual(145);
    expect(await timed("unknown-timing@example.vn")).toBeGreaterThanOrEqual(145);
  });

  it("sends nothing to a deactivated account", async () => {
    const { id, email } = await createLearner();
    await db.user.update({ where: { id }, data: { deactivatedAt: new Date() } });
    expect(await requestPasswordReset(email, null, { minDurationMs: 0 })).toBe("deactivated");
    expect(await sentTo(email)).toBe(0);
  });

  it("stops sending to an address after the limit, per address and per client", async () => {
    const { email } = await createLearner();
    for (let i = 0; i < MAX_EMAILS_PER_ADDRESS; i++) {
      expect(await requestPasswordReset(email, `10.3.0.${i}`, { minDurationMs: 0 })).toBe("sent");
    }
    expect(await requestPasswordReset(email, "10.3.1.1", { minDurationMs: 0 })).toBe("limited");
    // The page still says the same thing.
    expect(await forgotPage.action(post("/forgot-password", { email }, "10.3.1.2"))).toEqual({
      status: "ok",
      data: null,
    });
    expect(await sentTo(email)).toBe(MAX_EMAILS_PER_ADDRESS);
    // An hour later the address may ask again.
    expect(
      await requestPasswordReset(email, "10.3.1.3", { minDurationMs: 0, now: new Date(Date.now() + HOUR + 1000) }),
    ).toBe("sent");

    const ip = "10.4.0.1";
    for (let i = 0; i < MAX_EMAIL_REQUESTS_PER_IP; i++)
      await requestPasswordReset(`spray-${i}@example.vn`, ip, { minDurationMs: 0 });
    const other = await createLearner();
    expect(await requestPasswordReset(other.email, ip, { minDurationMs: 0 })).toBe("limited");
    expect(await sentTo(other.email)).toBe(0);
  });

  it("does not let a login failure prune reset requests still inside their hour", async () => {
    const { email } = await createLearner();
    await requestPasswordReset(email, null, { minDurationMs: 0, now: new Date(Date.now() - 30 * 60 * 1000) });
    await verifyLogin("someone@example.vn", "wrong-password", null);
    expect(await db.loginAttempt.count({ where: { key: `reset:${email}` } })).toBe(1);
  });
});

describe("reset and invitation links", () => {
  it("sets the password, verifies the address, ends every session, lifts the lock and audits", async () => {
    const { id, email } = await createLearner();
    const old = generateSessionToken();
    await createSession(old, id);
    for (let i = 0; i < 5; i++) await verifyLogin(email, `wrong-${i}`, null);
    expect(await verifyLogin(email, "mat-khau-dai-du", null)).toMatchObject({ reason: "throttled" });

    await requestPasswordReset(email, null, { minDurationMs: 0 });
    const token = await lastResetToken(email);
    expect(await passwordLink(token, "reset")).toEqual({ ok: true, email });
    const result = await setPasswordWithLink(token, "reset", NEW_PASSWORD, "10.5.0.1");
    expect(result).toMatchObject({ ok: true, userId: id, role: "LEARNER" });

    expect(await validateSessionToken(old)).toBeNull();
    const fresh = result.ok ? readSessionTokenFromCookie(result.cookie) : null;
    expect((await validateSessionToken(fresh!))?.user.id).toBe(id);
    expect(await db.session.count({ where: { userId: id } })).toBe(1);
    expect((await db.user.findUniqueOrThrow({ where: { id } })).emailVerifiedAt).not.toBeNull();
    expect((await verifyLogin(email, NEW_PASSWORD, null)).ok).toBe(true);
    const audit = await db.auditEvent.findFirstOrThrow({ where: { action: "user.password_set", targetId: id } });
    expect([audit.actorId, audit.actorEmail, audit.ip]).toEqual([id, email, "10.5.0.1"]);
  });

  it("works once: a second use fails cleanly and changes nothing", async () => {
    const { id, email } = await createLearner();
    await requestPasswordReset(email, null, { minDurationMs: 0 });
    const token = await lastResetToken(email);
    const path = `/reset-password/${token}`;
    const first = (await resetPage.action(
      post(path, { password: NEW_PASSWORD, confirmPassword: NEW_PASSWORD }),
    )) as Response;
    expect(first.status).toBe(302);
    expect(first.headers.get("Location")).toBe("/my-learning");
    expect(first.headers.get("Set-Cookie")).toContain("th_session=");

    const second = await resetPage.action(
      post(path, { password: "another-password-1", confirmPassword: "another-password-1" }),
    );
    expect(second).toEqual({ status: "invalid", fieldErrors: {}, formError: { key: "account:link.used" } });
    expect((await verifyLogin(email, NEW_PASSWORD, null)).ok).toBe(true);
    expect(await db.session.count({ where: { userId: id } })).toBe(1);
    const page = await resetPage.loader({
      params: { token },
      request: new Request(`http://localhost${path}`),
      context: {},
    } as LoaderFunctionArgs);
    expect(page).toEqual({ email: null, problem: "used" });
  });

  it("checks the form with the new-password rules and keeps the link usable", async () => {
    const { email } = await createLearner();
    await requestPasswordReset(email, null, { minDurationMs: 0 });
    const token = await lastResetToken(email);
    const path = `/reset-password/${token}`;
    expect(await resetPage.action(post(path, { password: "short", confirmPassword: "short" }))).toMatchObject({
      status: "invalid",
      fieldErrors: { password: "validation.passwordLength" },
    });
    expect(
      await resetPage.action(post(path, { password: NEW_PASSWORD, confirmPassword: "different-password" })),
    ).toMatchObject({
      status: "invalid",
      fieldErrors: { confirmPassword: "validation.passwordsDiffer" },
    });
    expect(await passwordLink(token, "reset")).toEqual({ ok: true, email });
  });

  it("expires a reset link after 1 hour and an invitation after 24 hours", async () => {
    const { id } = await createLearner();
    const now = Date.now();
    const reset = await createAccountToken(id, "RESET_PASSWORD", db, new Date(now - HOUR + 60_000));
    expect(await passwordLink(reset, "reset")).toMatchObject({ ok: true });
    expect(await setPasswordWithLink(reset, "reset", NEW_PASSWORD, null, new Date(now + 61_000))).toEqual({
      ok: false,
      reason: "expired",
    });

    const invite = await createAccountToken(id, "SET_PASSWORD", db, new Date(now - 23 * HOUR));
    expect(await passwordLink(invite, "invitation")).toMatchObject({ ok: true });
    expect(await setPasswordWithLink(invite, "invitation", NEW_PASSWORD, null, new Date(now + HOUR + 1000))).toEqual({
      ok: false,
      reason: "expired",
    });
  });

  it("accepts a link only on its own page", async () => {
    const { id } = await createLearner();
    const invite = await createAccountToken(id, "SET_PASSWORD", db);
    const verify = await createAccountToken(id, "VERIFY_EMAIL", db);
    expect(await passwordLink(invite, "reset")).toEqual({ ok: false, reason: "invalid" });
    expect(await setPasswordWithLink(verify, "reset", NEW_PASSWORD, null)).toEqual({ ok: false, reason: "invalid" });
    expect(await setPasswordWithLink(verify, "invitation", NEW_PASSWORD, null)).toEqual({
      ok: false,
      reason: "invalid",
    });
    expect(await setPasswordWithLink("not-a-token", "reset", NEW_PASSWORD, null)).toEqual({
      ok: false,
      reason: "invalid",
    });
    expect((await setPasswordWithLink(invite, "invitation", NEW_PASSWORD, null)).ok).toBe(true);
  });

  it("refuses a deactivated account's link and leaves it unused", async () => {
    const { id } = await createLearner();
    const invite = await createAccountToken(id, "SET_PASSWORD", db);
    await db.user.update({ where: { id }, data: { deactivatedAt: new Date() } });
    expect(await passwordLink(invite, "invitation")).toEqual({ ok: false, reason: "deactivated" });
    expect(await setPasswordWithLink(invite, "invitation", NEW_PASSWORD, null)).toEqual({
      ok: false,
      reason: "deactivated",
    });
    expect((await db.accountToken.findFirstOrThrow({ where: { userId: id, kind: "SET_PASSWORD" } })).usedAt).toBeNull();
  });

  it("sends each role to its home after an invitation", async () => {
    const homes: [Role, string][] = [
      ["ADMIN", "/admin/users"],
      ["COORDINATOR", "/coverage"],
      ["TRAINER", "/teach"],
      ["LEARNER", "/my-learning"],
    ];
    for (const [role, home] of homes) {
      const { id } = await createLearner();
      await db.user.update({ where: { id }, data: { role } });
      const token = await createAccountToken(id, "SET_PASSWORD", db);
      const response = (await setPage.action(
        post(`/set-password/${token}`, { password: NEW_PASSWORD, confirmPassword: NEW_PASSWORD }),
      )) as Response;
      expect(response.headers.get("Location")).toBe(home);
    }
  });
});
