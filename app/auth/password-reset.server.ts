import type { Role } from "~/generated/prisma-sqlite/enums";
import { recordAudit } from "~/audit/audit.server";
import { db } from "~/utils/db.server";
import { noSoonerThan } from "~/utils/timing";
import { sendPasswordResetLink } from "./account-email.server";
import { normaliseEmail, startSession } from "./auth.server";
import { clearAccountFailures } from "./login-throttle.server";
import { hashPassword } from "./password.server";
import { takeEmailRequest } from "./rate-limit.server";
import { consumeAccountToken, peekAccountToken, type AccountTokenKind } from "./tokens.server";

// Forgot-password and the two links that set a password: a reset link
// (1 hour) and an invitation link (24 hours). Both prove the address, end
// every session of the account and start a fresh one in this browser.

// The forgot-password page answers no sooner than this, so how long it takes
// does not tell a registered address from an unknown one (sending takes a
// few writes; an unknown address takes none).
export const FORGOT_PASSWORD_MIN_MS = 400;

/**
 * What happened, for tests and logs only: the page must show the same
 * answer whatever this is, or it would tell who has an account.
 */
export type ResetRequestOutcome = "sent" | "no_account" | "deactivated" | "limited";

export async function requestPasswordReset(
  emailInput: string,
  ip: string | null,
  options: { minDurationMs?: number; now?: Date } = {},
): Promise<ResetRequestOutcome> {
  return noSoonerThan(options.minDurationMs ?? FORGOT_PASSWORD_MIN_MS, async () => {
    const email = normaliseEmail(emailInput);
    const user = await db.user.findUnique({
      where: { email },
      select: {
        id: true,
        email: true,
        name: true,
        locale: true,
        deactivatedAt: true,
        scopeProvinceId: true,
        scopeAgencyId: true,
      },
    });
    // Counted whether or not the address has an account, so the limit
    // behaves the same for both.
    if (!(await takeEmailRequest("reset", email, ip, options.now))) return "limited";
    if (!user) return "no_account";
    if (user.deactivatedAt) return "deactivated";
    await db.$transaction(async (tx) => {
      await sendPasswordResetLink(user, tx);
      await recordAudit(
        {
          actor: { id: null, email: null },
          action: "user.password_reset_sent",
          target: { type: "user", id: user.id },
          scope: { provinceId: user.scopeProvinceId, agencyId: user.scopeAgencyId },
          details: { via: "forgot-password" },
          ip,
        },
        tx,
      );
    });
    return "sent";
  });
}

/** A reset link from forgot-password, or an invitation's link to set the first password. */
export type PasswordLinkPurpose = "reset" | "invitation";

const KINDS: Record<PasswordLinkPurpose, readonly AccountTokenKind[]> = {
  reset: ["RESET_PASSWORD"],
  invitation: ["SET_PASSWORD"],
};

export type LinkProblem = "invalid" | "expired" | "used" | "deactivated";

/** Whether a link still sets a password, and for which address (shown on the form). */
export async function passwordLink(
  token: string,
  purpose: PasswordLinkPurpose,
): Promise<{ ok: true; email: string } | { ok: false; reason: LinkProblem }> {
  const found = await peekAccountToken(token, KINDS[purpose]);
  if (!found.ok) return found;
  const user = await db.user.findUnique({ where: { id: found.userId }, select: { email: true, deactivatedAt: true } });
  if (!user) return { ok: false, reason: "invalid" };
  if (user.deactivatedAt) return { ok: false, reason: "deactivated" };
  return { ok: true, email: user.email };
}

export type SetPasswordResult =
  { ok: true; userId: string; role: Role; locale: string; cookie: string } | { ok: false; reason: LinkProblem };

// Thrown inside the transaction to roll it back: the link stays unused.
class Deactivated extends Error {}

/**
 * Uses a link once to set the account's password. In one transaction: the
 * link is used, the password set, the address marked verified (the link
 * reached it), every session ended, the login lock lifted and the change
 * audited. Then a fresh session starts; `cookie` is its Set-Cookie value.
 */
export async function setPasswordWithLink(
  token: string,
  purpose: PasswordLinkPurpose,
  newPassword: string,
  ip: string | null,
  now = new Date(),
): Promise<SetPasswordResult> {
  // Hashing is slow: a link that cannot work is turned away before it, and
  // the transaction does not wait for it.
  const precheck = await peekAccountToken(token, KINDS[purpose], now);
  if (!precheck.ok) return precheck;
  const passwordHash = await hashPassword(newPassword);
  let outcome;
  try {
    outcome = await db.$transaction(async (tx) => {
      const used = await consumeAccountToken(token, KINDS[purpose], tx, now);
      if (!used.ok) return used;
      const account = await tx.user.findUniqueOrThrow({
        where: { id: used.userId },
        select: {
          id: true,
          email: true,
          role: true,
          locale: true,
          emailVerifiedAt: true,
          deactivatedAt: true,
          scopeProvinceId: true,
          scopeAgencyId: true,
        },
      });
      if (account.deactivatedAt) throw new Deactivated();
      await tx.user.update({
        where: { id: account.id },
        data: { passwordHash, emailVerifiedAt: account.emailVerifiedAt ?? now },
      });
      await tx.session.deleteMany({ where: { userId: account.id } });
      await clearAccountFailures(account.email, tx);
      await recordAudit(
        {
          actor: { id: account.id, email: account.email },
          action: "user.password_set",
          target: { type: "user", id: account.id },
          scope: { provinceId: account.scopeProvinceId, agencyId: account.scopeAgencyId },
          details: { via: purpose },
          ip,
        },
        tx,
      );
      return { ok: true as const, account };
    });
  } catch (error) {
    if (error instanceof Deactivated) return { ok: false, reason: "deactivated" };
    throw error;
  }
  if (!outcome.ok) return outcome;
  const { account } = outcome;
  return {
    ok: true,
    userId: account.id,
    role: account.role,
    locale: account.locale,
    cookie: await startSession(account.id),
  };
}
