import { db } from "~/utils/db.server";

// Failed logins are counted per account and per client address over a sliding
// window. Stored in the database so the limit holds across restarts and
// processes; rows older than the window are pruned as new failures arrive.
export const LOGIN_WINDOW_MS = 15 * 60 * 1000;
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
    db.loginAttempt.deleteMany({ where: { createdAt: { lt: new Date(now.getTime() - LOGIN_WINDOW_MS) } } }),
    db.loginAttempt.createMany({
      data: [account, ipKey].filter((k): k is string => k !== null).map((key) => ({ key, createdAt: now })),
    }),
  ]);
}

export async function clearLoginFailures(email: string) {
  await db.loginAttempt.deleteMany({ where: { key: `email:${email}` } });
}
