import { db } from "~/utils/db.server";

// Account emails sent on request ("reset:<email>", "resetip:<ip>",
// "verify:<email>", "verifyip:<ip>", "exists:<email>", "existsip:<ip>") are counted over an hour. Failed logins
// are throttled in login-throttle.server.ts.
export const EMAIL_REQUEST_WINDOW_MS = 60 * 60 * 1000;
const PRUNE_AFTER_MS = EMAIL_REQUEST_WINDOW_MS;

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
export async function takeEmailRequest(
  kind: "reset" | "verify" | "exists",
  email: string,
  ip: string | null,
  now = new Date(),
): Promise<boolean> {
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
