import { describe, expect, it } from "vitest";
import { db } from "~/utils/db.server";
import { createLearner } from "../../tests/helpers/fixtures";
import { verifyLogin } from "./auth.server";
import {
  ACCOUNT_FREE_FAILURES,
  ADDRESS_FREE_FAILURES,
  accountWaitMs,
  delayAfter,
  finishLoginAttempt,
  FIRST_DELAY_MS,
  FORGET_AFTER_MS,
  MAX_DELAY_MS,
  startLoginAttempt,
} from "./login-throttle.server";

const PASSWORD = "mat-khau-dai-du";

describe("delayAfter", () => {
  it("is free for the first failures, then doubles up to the cap", () => {
    expect([1, 4].map((n) => delayAfter(n, 5))).toEqual([0, 0]);
    expect([5, 6, 7, 8].map((n) => delayAfter(n, 5))).toEqual([1, 2, 4, 8].map((s) => s * FIRST_DELAY_MS));
    expect(delayAfter(40, 5)).toBe(MAX_DELAY_MS);
    expect(delayAfter(ADDRESS_FREE_FAILURES, ADDRESS_FREE_FAILURES)).toBe(FIRST_DELAY_MS);
  });
});

describe("login throttling", () => {
  it("checks at most the free number of 40 parallel wrong guesses", async () => {
    const { email } = await createLearner();
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) => verifyLogin(email, `guess-${i}`, "198.51.100.7")),
    );
    const checked = results.filter((r) => !r.ok && r.reason === "invalid").length;
    expect(checked).toBeLessThanOrEqual(ACCOUNT_FREE_FAILURES);
    expect(checked).toBeGreaterThan(0);
    expect(results.filter((r) => !r.ok && r.reason === "throttled")).toHaveLength(40 - checked);
    expect((await db.loginThrottle.findUniqueOrThrow({ where: { key: `email:${email}` } })).failures).toBe(checked);
  });

  it("checks at most the free number of parallel guesses spread over many addresses once the account waits", async () => {
    const { email } = await createLearner();
    const ip = "198.51.100.8";
    for (let i = 0; i < ACCOUNT_FREE_FAILURES; i++) await verifyLogin(email, `guess-${i}`, ip);
    // Every fresh address gets one try, no more, however many arrive at once.
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => verifyLogin(email, `guess-${i}`, i % 2 ? ip : "198.51.100.9")),
    );
    expect(results.filter((r) => !r.ok && r.reason === "invalid")).toHaveLength(1);
  });

  it("lets the right password in from a clean address while an attacker keeps failing", async () => {
    const { email } = await createLearner();
    const attacker = "203.0.113.66";
    for (let i = 0; i < 3 * ACCOUNT_FREE_FAILURES; i++) await verifyLogin(email, `guess-${i}`, attacker);
    expect(await accountWaitMs(email)).toBeGreaterThan(0);
    expect(await verifyLogin(email, PASSWORD, attacker)).toMatchObject({ ok: false, reason: "throttled" });
    expect(await verifyLogin(email, PASSWORD, "192.0.2.10")).toMatchObject({ ok: true });
    // Success starts the account afresh.
    expect(await accountWaitMs(email)).toBe(0);
  });

  it("makes each further attempt wait longer, and forgets it all after a success", async () => {
    const email = "lan@example.vn";
    const ip = "192.0.2.20";
    let now = Date.now();
    for (let i = 0; i < ACCOUNT_FREE_FAILURES; i++) expect((await startLoginAttempt(email, ip, now)).ok).toBe(true);
    const waits = [];
    for (let i = 0; i < 4; i++) {
      const refused = await startLoginAttempt(email, ip, now);
      expect(refused.ok).toBe(false);
      waits.push(refused.ok ? 0 : refused.waitSeconds);
      now += (refused.ok ? 0 : refused.waitSeconds) * 1000;
      expect((await startLoginAttempt(email, ip, now)).ok).toBe(true);
    }
    expect(waits).toEqual([1, 2, 4, 8]);
    const ticket = await startLoginAttempt(email, ip, now + 16_000);
    expect(ticket.ok).toBe(true);
    if (ticket.ok) await finishLoginAttempt(ticket);
    expect(await accountWaitMs(email, now + 16_000)).toBe(0);
    for (let i = 0; i < ACCOUNT_FREE_FAILURES; i++)
      expect((await startLoginAttempt(email, "192.0.2.21", now + 16_000)).ok).toBe(true);
  });

  it("forgets failures a day old", async () => {
    const email = "mai@example.vn";
    const then = Date.now() - FORGET_AFTER_MS - 60 * 60_000;
    for (let i = 0; i < ACCOUNT_FREE_FAILURES + 3; i++) await startLoginAttempt(email, null, then + i * 60_000);
    expect((await startLoginAttempt(email, null)).ok).toBe(true);
    expect((await db.loginThrottle.findUniqueOrThrow({ where: { key: `email:${email}` } })).failures).toBe(1);
  });
});
