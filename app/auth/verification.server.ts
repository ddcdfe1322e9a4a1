import type { Role } from "~/generated/prisma-sqlite/enums";
import { isUniqueViolation } from "~/utils/db-errors";
import { db } from "~/utils/db.server";
import { noSoonerThan } from "~/utils/timing";
import { sendAccountExists, sendVerificationLink } from "./account-email.server";
import { normaliseEmail } from "./auth.server";
import { hashPassword } from "./password.server";
import { takeEmailRequest } from "./rate-limit.server";
import { consumeAccountToken } from "./tokens.server";

// Proving an email address: sign-up sends a link, opening it marks the
// account verified. Setting a password from an emailed link proves it too
// (password-reset.server.ts). Later trust decisions ask isEmailVerified.

// Sign-up answers no sooner than this, whatever happened, so its timing does
// not tell an address with an account from a new one.
export const SIGNUP_MIN_MS = 400;

/**
 * What happened, for tests and logs only: the page shows the same answer
 * ("check your email") whatever this is, or sign-up would tell who has an
 * account. "existing": the address already had an account, which was sent
 * an email saying so (unless deactivated or asked too often).
 */
export type SignUpOutcome = "created" | "existing";

/**
 * A new learner account and its verification email, in one transaction: an
 * account never exists without the link that verifies it. An address that
 * has an account gets an email saying so instead, and no one is signed in.
 */
export async function signUp(
  input: { email: string; name: string; password: string; locale: string; next?: string },
  ip: string | null = null,
  options: { minDurationMs?: number } = {},
): Promise<SignUpOutcome> {
  return noSoonerThan(options.minDurationMs ?? SIGNUP_MIN_MS, async () => {
    const email = normaliseEmail(input.email);
    // Hashed on both paths: the slow step must not be the one that differs.
    const passwordHash = await hashPassword(input.password);
    if ((await db.user.count({ where: { email } })) > 0) return tellExistingAccount(email, ip);
    try {
      await db.$transaction(async (tx) => {
        const created = await tx.user.create({
          data: { email, name: input.name.trim(), passwordHash, locale: input.locale },
          select: { id: true, email: true, name: true, locale: true },
        });
        await sendVerificationLink(created, tx, input.next);
      });
      return "created";
    } catch (error) {
      // Two sign-ups with one address at once: the second finds an account.
      if (isUniqueViolation(error)) return tellExistingAccount(email, ip);
      throw error;
    }
  });
}

async function tellExistingAccount(email: string, ip: string | null): Promise<SignUpOutcome> {
  const user = await db.user.findUniqueOrThrow({
    where: { email },
    select: { id: true, email: true, name: true, locale: true, deactivatedAt: true },
  });
  // Limited like forgot-password, so sign-up cannot flood a mailbox.
  if (!user.deactivatedAt && (await takeEmailRequest("exists", email, ip))) await sendAccountExists(user);
  return "existing";
}

export type VerifyResult =
  | { ok: true; email: string; user: { id: string; role: Role; locale: string; active: boolean } }
  | { ok: false; reason: "invalid" | "expired" | "used" };

/**
 * Uses a verification link once. It verifies the link's account, whoever
 * is signed in in this browser.
 */
export async function verifyEmailWithLink(token: string, now = new Date()): Promise<VerifyResult> {
  return db.$transaction(async (tx) => {
    const used = await consumeAccountToken(token, ["VERIFY_EMAIL"], tx, now);
    if (!used.ok) return { ok: false, reason: used.reason };
    // Keep the first date if a reset link got there before.
    await tx.user.updateMany({ where: { id: used.userId, emailVerifiedAt: null }, data: { emailVerifiedAt: now } });
    const user = await tx.user.findUniqueOrThrow({
      where: { id: used.userId },
      select: { id: true, email: true, role: true, locale: true, deactivatedAt: true },
    });
    return {
      ok: true,
      email: user.email,
      user: { id: user.id, role: user.role, locale: user.locale, active: !user.deactivatedAt },
    };
  });
}

export type ResendOutcome = "sent" | "already_verified" | "limited";

/** The account page's "resend verification email", limited like forgot-password. */
export async function resendVerification(userId: string, ip: string | null, now = new Date()): Promise<ResendOutcome> {
  const user = await db.user.findUniqueOrThrow({
    where: { id: userId },
    select: { id: true, email: true, name: true, locale: true, emailVerifiedAt: true },
  });
  if (user.emailVerifiedAt) return "already_verified";
  if (!(await takeEmailRequest("verify", user.email, ip, now))) return "limited";
  // A new link replaces any earlier one (createAccountToken).
  await db.$transaction(async (tx) => {
    await sendVerificationLink(user, tx);
  });
  return "sent";
}

export async function isEmailVerified(userId: string): Promise<boolean> {
  const user = await db.user.findUnique({ where: { id: userId }, select: { emailVerifiedAt: true } });
  return Boolean(user?.emailVerifiedAt);
}
