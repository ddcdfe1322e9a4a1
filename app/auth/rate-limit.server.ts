import { db } from "~/utils/db.server";

// Failed logins are counted per account and per client address over a sliding
// window. Stored in the database so the limit holds across restarts and
// processes; rows older than the longest window are pruned as new ones arrive.
// The same table counts account emails sent on request ("reset:<email>",
// "resetip:<ip>", "verify:<email>", "verifyip:<ip>") over an hour.
export const LOGIN_WINDOW_MS = 15 * 60 * 1000;
export const EMAIL_REQUEST_WINDOW_MS = 60 * 60 * 1000;
// Rows are kept as long as the longest window that reads them.
const PRUNE_AFTER_MS = Math.max(LOGIN_WINDOW_MS, EMAIL_REQUEST_WINDOW_MS);
export const MAX_FAILURES_PER_ACCOUNT = 5;
export const MAX_FAILURES_PER_IP = 30;

function keys(email: string, ip: string | null) {
  return { account: `email:${email}`, ip: ip ? `ip:${ip}` : null };
}

/** Minutes until a new attempt is allowed, or 0 when one may be tried now. */
export async function loginLockedFor(email: string, ip: string | null, now = new Date()): Promise<number> {
  const { account, ip: ipKey } = keys(email, ip);
  const since = new Date(now.getTime() - LOGIN_WINDOW_MS);
  const checks: [string, number][] = [[account, MAX_FAILURES_PER_ACCOUNT]];
  if (ipKey) checks.push([ipKey, MAX_FAILURES_PER_IP]);
  let waitMs = 0;
  for (const [key, max] of checks) {
    const recent = await db.loginAttempt.findMany({
      where: { key, createdAt: { gt: since } },
      orderBy: { createdAt: "desc" },
      take: max,
      select: { createdAt: true },
    });
    if (recent.length >= max) {
      const oldest = recent[recent.length - 1]!.createdAt.getTime();
      waitMs = Math.max(waitMs, oldest + LOGIN_WINDOW_MS - now.getTime());
    }
  }
  return waitMs > 0 ? Math.ceil(waitMs / 60_000) : 0;
}

export async function recordLoginFailure(email: string, ip: string | null, now = new Date()) {
  const { account, ip: ipKey } = keys(email, ip);
  await db.$transaction([
    db.loginAttempt.deleteMany({ where: { createdAt: { lt: new Date(now.getTime() - PRUNE_AFTER_MS) } } }),
    db.loginAttempt.createMany({
      data: [account, ipKey].filter((k): k is string => k !== null).map((key) => ({ key, createdAt: now })),
    }),
  ]);
}

export async function clearLoginFailures(email: string) {
  await db.loginAttempt.deleteMany({ where: { key: `email:${email}` } });
}

/** Attempts recorded under `key` in the last `windowMs`. */
export async function recentAttempts(key: string, windowMs: number, now = new Date()): Promise<number> {
  return db.loginAttempt.count({ where: { key, createdAt: { gt: new Date(now.getTime() - windowMs) } } });
}

/** Records one attempt under each key (and prunes rows no window reads any more). */
export async function recordAttempts(keys: readonly string[], now = new Date()) {
  await db.$transaction([
    db.loginAttempt.deleteMany({ where: { createdAt: { lt: new Date(now.getTime() - PRUNE_AFTER_MS) } } }),
    db.loginAttempt.createMany({ data: keys.map((key) => ({ key, createdAt: now })) }),
  ]);
}

// Account emails sent on request (forgot-password, resend verification): a
// few per address per hour, so nobody can flood a mailbox, and more per
// client address, which may be a whole office behind one NAT.
export const MAX_EMAILS_PER_ADDRESS = 3;
export const MAX_EMAIL_REQUESTS_PER_IP = 20;

/**
 * Whether one more `kind` email to `email` may go out now; if so it is
 * counted. Only allowed requests are counted, so someone who keeps asking
 * cannot keep an address locked out for ever.
 */
export async function takeEmailRequest(kind: "reset" | "verify", email: string, ip: string | null, now = new Date()): Promise<boolean> {
  const addressKey = `${kind}:${email}`;
  const ipKey = ip ? `${kind}ip:${ip}` : null;
  const [perAddress, perIp] = await Promise.all([
    recentAttempts(addressKey, EMAIL_REQUEST_WINDOW_MS, now),
    ipKey ? recentAttempts(ipKey, EMAIL_REQUEST_WINDOW_MS, now) : 0,
  ]);
  if (perAddress >= MAX_EMAILS_PER_ADDRESS || perIp >= MAX_EMAIL_REQUESTS_PER_IP) return false;
  await recordAttempts(ipKey ? [addressKey, ipKey] : [addressKey], now);
  return true;
}
