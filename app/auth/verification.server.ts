import { isUniqueViolation } from "~/utils/db-errors";
import { db } from "~/utils/db.server";
import { sendVerificationLink } from "./account-email.server";
import { normaliseEmail } from "./auth.server";
import { hashPassword } from "./password.server";
import { takeEmailRequest } from "./rate-limit.server";
import { consumeAccountToken } from "./tokens.server";

// Proving an email address: sign-up sends a link, opening it marks the
// account verified. Setting a password from an emailed link proves it too
// (password-reset.server.ts). Later trust decisions ask isEmailVerified.

/**
 * A new learner account and its verification email, in one transaction: an
 * account never exists without the link that verifies it.
 */
export async function signUp(input: { email: string; name: string; password: string; locale: string }): Promise<
  { ok: true; userId: string } | { ok: false; reason: "taken" }
> {
  const email = normaliseEmail(input.email);
  if ((await db.user.count({ where: { email } })) > 0) return { ok: false, reason: "taken" };
  const passwordHash = await hashPassword(input.password);
  try {
    const user = await db.$transaction(async (tx) => {
      const created = await tx.user.create({
        data: { email, name: input.name.trim(), passwordHash, locale: input.locale },
        select: { id: true, email: true, name: true, locale: true },
      });
      await sendVerificationLink(created, tx);
      return created;
    });
    return { ok: true, userId: user.id };
  } catch (error) {
    // Two sign-ups with one address at once: the second loses here.
    if (isUniqueViolation(error)) return { ok: false, reason: "taken" };
    throw error;
  }
}

export type VerifyResult = { ok: true; email: string } | { ok: false; reason: "invalid" | "expired" | "used" };

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
    const user = await tx.user.findUniqueOrThrow({ where: { id: used.userId }, select: { email: true } });
    return { ok: true, email: user.email };
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
