import { describe, expect, it } from "vitest";
import { db } from "~/utils/db.server";
import { createLearner } from "../../tests/helpers/fixtures";
import { changePassword, verifyLogin } from "./auth.server";
import { SignupFormSchema } from "./forms";
import { hashPassword, verifyPassword } from "./password.server";
import { ACCOUNT_FREE_FAILURES, ADDRESS_FREE_FAILURES } from "./login-throttle.server";
import {
  createSession,
  generateSessionToken,
  invalidateSession,
  readSessionToken,
  SESSION_TTL_MS,
  sessionIdFromToken,
  validateSessionToken,
} from "./session.server";

const DAY = 24 * 60 * 60 * 1000;

describe("passwords", () => {
  it("hashes with argon2id and verifies only the right password", async () => {
    const hash = await hashPassword("correct horse battery");
    expect(hash).toMatch(/^\$argon2id\$/);
    expect(await verifyPassword(hash, "correct horse battery")).toBe(true);
    expect(await verifyPassword(hash, "wrong horse battery")).toBe(false);
    expect(await verifyPassword("not a hash", "x")).toBe(false);
  });
});

describe("sessions", () => {
  it("stores only the SHA-256 of the token", async () => {
    const { id: userId } = await createLearner();
    const token = generateSessionToken();
    expect(token).toMatch(/^[a-z2-7]{32}$/);
    await createSession(token, userId);
    const row = await db.session.findFirstOrThrow({ where: { userId } });
    expect(row.id).toBe(sessionIdFromToken(token));
    expect(row.id).not.toContain(token);
  });

  it("validates, slides the expiry in the second half, and expires", async () => {
    const { id: userId } = await createLearner();
    const token = generateSessionToken();
    const start = new Date("2026-01-01T00:00:00Z");
    await createSession(token, userId, start);

    const early = await validateSessionToken(token, new Date(start.getTime() + 5 * DAY));
    expect(early?.user.id).toBe(userId);
    expect(early?.session.expiresAt.getTime()).toBe(start.getTime() + SESSION_TTL_MS); // not extended yet

    const later = new Date(start.getTime() + 20 * DAY);
    const renewed = await validateSessionToken(token, later);
    expect(renewed?.session.expiresAt.getTime()).toBe(later.getTime() + SESSION_TTL_MS);

    const expired = await validateSessionToken(token, new Date(later.getTime() + SESSION_TTL_MS + 1));
    expect(expired).toBeNull();
    expect(await db.session.count({ where: { userId } })).toBe(0);
    expect(await validateSessionToken(generateSessionToken())).toBeNull();
  });

  it("invalidates one session on logout and all on password change", async () => {
    const { id: userId, email } = await createLearner();
    const [a, b] = [generateSessionToken(), generateSessionToken()];
    await createSession(a, userId);
    await createSession(b, userId);
    await invalidateSession(sessionIdFromToken(a));
    expect(await validateSessionToken(a)).toBeNull();
    expect(await validateSessionToken(b)).not.toBeNull();

    expect((await changePassword(userId, "wrong-current-password", "new-password-123")).ok).toBe(false);
    const changed = await changePassword(userId, "mat-khau-dai-du", "new-password-123");
    expect(changed.ok).toBe(true);
    expect(await validateSessionToken(b)).toBeNull();
    expect(await db.session.count({ where: { userId } })).toBe(1); // the fresh one
    expect((await verifyLogin(email, "new-password-123", null)).ok).toBe(true);
  });

  it("reads only well-formed tokens from the cookie header", () => {
    const token = generateSessionToken();
    const request = (cookie: string) => new Request("http://x/", { headers: { Cookie: cookie } });
    expect(readSessionToken(request(`a=1; th_session=${token}`))).toBe(token);
    expect(readSessionToken(request("th_session=../../etc"))).toBeNull();
    expect(readSessionToken(new Request("http://x/"))).toBeNull();
  });
});

describe("login", () => {
  it("gives the same answer for an unknown email and a wrong password", async () => {
    const { email } = await createLearner();
    expect(await verifyLogin("nobody@example.vn", "whatever-password", "10.0.0.1")).toEqual({
      ok: false,
      reason: "invalid",
    });
    expect(await verifyLogin(email, "whatever-password", "10.0.0.1")).toEqual({ ok: false, reason: "invalid" });
    expect((await verifyLogin(email.toUpperCase(), "mat-khau-dai-du", "10.0.0.1")).ok).toBe(true);
  });

  it("slows an account after repeated failures from an address that made them", async () => {
    const { email } = await createLearner();
    const ip = "10.1.0.1";
    for (let i = 0; i < ACCOUNT_FREE_FAILURES; i++) {
      expect(await verifyLogin(email, `wrong-${i}`, ip)).toEqual({ ok: false, reason: "invalid" });
    }
    const waiting = await verifyLogin(email, "mat-khau-dai-du", ip);
    expect(waiting).toMatchObject({ ok: false, reason: "throttled" });
    expect(waiting.ok === false && waiting.reason === "throttled" && waiting.seconds).toBeGreaterThan(0);
    // The owner, from an address that has not been failing, still gets in.
    expect((await verifyLogin(email, "mat-khau-dai-du", "10.1.1.1")).ok).toBe(true);
  });

  it("limits failures per address across accounts", async () => {
    const ip = "10.9.9.9";
    for (let i = 0; i < ADDRESS_FREE_FAILURES; i++) await verifyLogin(`spray-${i}@example.vn`, "guess-password", ip);
    const { email } = await createLearner();
    expect(await verifyLogin(email, "mat-khau-dai-du", ip)).toMatchObject({ ok: false, reason: "throttled" });
    expect((await verifyLogin(email, "mat-khau-dai-du", "10.9.9.10")).ok).toBe(true);
  });
});

describe("SignupFormSchema", () => {
  const valid = {
    name: "Nguyễn Văn A",
    email: " A@Example.VN ",
    password: "mot-mat-khau",
    confirmPassword: "mot-mat-khau",
  };
  it("accepts a valid form and trims the email", () => {
    const parsed = SignupFormSchema.safeParse(valid);
    expect(parsed.success && parsed.data.email).toBe("A@Example.VN");
  });
  it("gives translation keys as messages", () => {
    const cases: [Record<string, string>, string, string][] = [
      [{ ...valid, email: "not-an-email" }, "email", "validation.email"],
      [{ ...valid, password: "short", confirmPassword: "short" }, "password", "validation.passwordLength"],
      [{ ...valid, confirmPassword: "something-else" }, "confirmPassword", "validation.passwordsDiffer"],
      [{ ...valid, name: "" }, "name", "validation.nameLength"],
    ];
    for (const [input, field, message] of cases) {
      const parsed = SignupFormSchema.safeParse(input);
      expect(parsed.success).toBe(false);
      expect(parsed.error?.issues.find((i) => i.path[0] === field)?.message).toBe(message);
    }
  });
});
