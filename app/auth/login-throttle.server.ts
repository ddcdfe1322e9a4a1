import type { Expression, RawBuilder } from "kysely";
import { fragment, getSql, prepared, type Sql } from "~/db/sql.server";
import { db, type DbClient } from "~/utils/db.server";

// Failed logins slow down further attempts instead of locking anyone out
// (docs/decisions/050-login-throttling.md). Each account and each client
// address has a counter; past a few free failures every further attempt must
// wait a delay that doubles, up to a cap. An attempt is counted *before* its
// password is checked, by one conditional upsert, so parallel guesses cannot
// all slip past the check; a right password takes its count back.

export const ACCOUNT_FREE_FAILURES = 5;
// A whole office may sit behind one address.
export const ADDRESS_FREE_FAILURES = 30;
export const FIRST_DELAY_MS = 1000;
export const MAX_DELAY_MS = 15 * 60 * 1000;
// A counter whose last failure is older than this starts again from nothing.
export const FORGET_AFTER_MS = 24 * 60 * 60 * 1000;

/** How long the attempt after the `failures`-th failure must wait. */
export function delayAfter(failures: number, free: number): number {
  if (failures < free) return 0;
  return Math.min(FIRST_DELAY_MS * 2 ** (failures - free), MAX_DELAY_MS);
}

const accountKey = (email: string) => `email:${email}`;
const addressKey = (ip: string) => `ip:${ip}`;

// The delay as SQL over the new failure count: a CASE over literal numbers,
// enumerated up to the cap, so SQLite and PostgreSQL compute the same thing.
function delaySql(failures: Expression<number>, free: number): RawBuilder<number> {
  const branches: RawBuilder<unknown>[] = [];
  for (let n = 1; delayAfter(n - 1, free) < MAX_DELAY_MS; n++)
    branches.push(fragment`WHEN ${fragment.lit(n)} THEN ${fragment.lit(delayAfter(n, free))}`);
  return fragment<number>`(CASE ${failures} ${fragment.join(branches, fragment` `)} ELSE ${fragment.lit(MAX_DELAY_MS)} END)`;
}

/**
 * Counts one attempt under `key` if it may be tried now (or `evenIfWaiting`),
 * in one statement. Returns the failures counted so far, this one included,
 * or null when the attempt must wait.
 */
async function takeAttempt(
  key: string,
  free: number,
  now: number,
  evenIfWaiting: boolean,
  sql: Sql = getSql(),
): Promise<number | null> {
  // Spelt out as bigint: PostgreSQL would guess integer from the CASE beside it.
  const bigint = (ms: number) => fragment<number>`CAST(${ms} AS BIGINT)`;
  const at = bigint(now);
  const row = await sql.first(
    prepared(
      sql.db
        .insertInto("LoginThrottle")
        .values({ key, failures: 1, lastFailureAt: at, nextAttemptAt: bigint(now + delayAfter(1, free)) })
        .onConflict((conflict) => {
          const update = conflict.column("key").doUpdateSet((eb) => {
            const failures = fragment<number>`(CASE WHEN ${eb.ref("LoginThrottle.lastFailureAt")} < ${bigint(now - FORGET_AFTER_MS)} THEN 1 ELSE ${eb.ref("LoginThrottle.failures")} + 1 END)`;
            return {
              failures,
              lastFailureAt: at,
              nextAttemptAt: fragment<number>`${at} + ${delaySql(failures, free)}`,
            };
          });
          // An attempt still waiting is not counted, unless it is counted even so.
          return evenIfWaiting ? update : update.where("LoginThrottle.nextAttemptAt", "<=", at);
        })
        .returning("failures"),
    ),
  );
  return row ? Number(row.failures) : null;
}

/** Gives back an attempt counted by takeAttempt that turned out not to be a failure. */
async function giveBack(key: string) {
  await db.loginThrottle.updateMany({ where: { key, failures: { gt: 0 } }, data: { failures: { decrement: 1 } } });
}

async function waitMs(key: string, now: number): Promise<number> {
  const row = await db.loginThrottle.findUnique({ where: { key }, select: { nextAttemptAt: true } });
  return row ? Math.max(0, Number(row.nextAttemptAt) - now) : 0;
}

export type LoginTicket = { ok: true; account: string; address: string | null } | { ok: false; waitSeconds: number };

/**
 * Asks to check one password for `email` from `ip`. An address with no
 * recent failure is let through even while the account waits, so someone
 * guessing elsewhere cannot keep its owner out (each such address gets one
 * try before the account's delay applies to it too).
 */
export async function startLoginAttempt(email: string, ip: string | null, now = Date.now()): Promise<LoginTicket> {
  const address = ip ? addressKey(ip) : null;
  let clean = false;
  if (address) {
    const failures = await takeAttempt(address, ADDRESS_FREE_FAILURES, now, false);
    if (failures === null) return { ok: false, waitSeconds: Math.ceil((await waitMs(address, now)) / 1000) || 1 };
    clean = failures === 1;
  }
  const account = accountKey(email);
  if ((await takeAttempt(account, ACCOUNT_FREE_FAILURES, now, clean)) === null) {
    // Not checked, so not held against the address.
    if (address) await giveBack(address);
    return { ok: false, waitSeconds: Math.ceil((await waitMs(account, now)) / 1000) || 1 };
  }
  return { ok: true, account, address };
}

/**
 * The password was right: the account starts afresh and the address gets
 * its attempt back (not a fresh start, or logging in to one's own account
 * would reset an address that guesses at others).
 */
export async function finishLoginAttempt(ticket: Extract<LoginTicket, { ok: true }>) {
  await db.loginThrottle.deleteMany({ where: { key: ticket.account } });
  if (ticket.address) await giveBack(ticket.address);
}

/** Deletes counters nobody reads any more (their last failure is forgotten). */
export async function pruneLoginThrottle(now = Date.now()) {
  // nextAttemptAt >= lastFailureAt, and it is the indexed column.
  await db.loginThrottle.deleteMany({ where: { nextAttemptAt: { lt: BigInt(now - FORGET_AFTER_MS) } } });
}

/** Forgets an account's failed logins (a password set from a link, an admin's unlock); how many there were. */
export async function clearAccountFailures(email: string, client: DbClient = db): Promise<number> {
  const row = await client.loginThrottle.findUnique({ where: { key: accountKey(email) }, select: { failures: true } });
  await client.loginThrottle.deleteMany({ where: { key: accountKey(email) } });
  return row?.failures ?? 0;
}

/** Milliseconds until the account's next attempt may be tried (from an address that has been failing). */
export async function accountWaitMs(email: string, now = Date.now()): Promise<number> {
  return waitMs(accountKey(email), now);
}

/** Of these addresses (or all), those whose account must wait now. */
export async function throttledEmails(emails: string[] | null, now = Date.now()): Promise<Set<string>> {
  const rows = await db.loginThrottle.findMany({
    where: {
      nextAttemptAt: { gt: BigInt(now) },
      key: emails ? { in: emails.map(accountKey) } : { startsWith: "email:" },
    },
    select: { key: true },
  });
  return new Set(rows.map((row) => row.key.slice("email:".length)));
}
