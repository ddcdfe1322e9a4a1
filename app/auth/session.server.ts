import { sha256 } from "@oslojs/crypto/sha2";
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from "@oslojs/encoding";
import type { Role } from "~/generated/prisma-sqlite/enums";
import { getSql, isoInstantOf, statement, type Sql } from "~/db/sql.server";
import { db } from "~/utils/db.server";
import { getEnv } from "~/utils/env.server";

// Sessions as lucia-auth.com teaches them: the cookie carries a random token,
// the database stores only its SHA-256 as the session id.

export const SESSION_COOKIE = "th_session";
const DAY_MS = 24 * 60 * 60 * 1000;
export const SESSION_TTL_MS = 30 * DAY_MS;
// Sliding expiry: a session used in its second half is extended by 30 days.
const RENEW_WITHIN_MS = 15 * DAY_MS;

export function generateSessionToken(): string {
  const bytes = new Uint8Array(20);
  crypto.getRandomValues(bytes);
  return encodeBase32LowerCaseNoPadding(bytes);
}

export function sessionIdFromToken(token: string): string {
  return encodeHexLowerCase(sha256(new TextEncoder().encode(token)));
}

export async function createSession(token: string, userId: string, now = new Date()) {
  return db.session.create({
    data: { id: sessionIdFromToken(token), userId, expiresAt: new Date(now.getTime() + SESSION_TTL_MS) },
  });
}

export type SessionUser = {
  id: string;
  email: string;
  name: string;
  role: Role;
  locale: string;
  scopeProvinceId: string | null;
  scopeAgencyId: string | null;
};

// Every request with a cookie runs this, so it is one typed join prepared once
// on the driver rather than an ORM call (docs/decisions/105-progress-off-the-orm.md).
// A deactivated account's sessions stop working here even if a row is left.
const sessionQuery = statement((sql: Sql, sessionId: string) =>
  sql.db
    .selectFrom("Session as s")
    .innerJoin("User as u", "u.id", "s.userId")
    .select((eb) => [
      isoInstantOf(sql, eb.ref("s.expiresAt")).as("expiresAt"),
      "u.id",
      "u.email",
      "u.name",
      "u.role",
      "u.locale",
      "u.scopeProvinceId",
      "u.scopeAgencyId",
    ])
    .where("s.id", "=", sessionId)
    .where("u.deactivatedAt", "is", null),
);
const deleteSession = statement((sql: Sql, sessionId: string) =>
  sql.db.deleteFrom("Session").where("id", "=", sessionId),
);
const renewSession = statement((sql: Sql, sessionId: string, expiresAt: Date) =>
  sql.db.updateTable("Session").set({ expiresAt }).where("id", "=", sessionId),
);

export async function validateSessionToken(token: string, now = new Date(), sql: Sql = getSql()) {
  const sessionId = sessionIdFromToken(token);
  const row = await sql.first(sessionQuery(sql, sessionId));
  if (!row) return null;
  const { expiresAt: storedExpiry, ...fields } = row;
  const user: SessionUser = { ...fields, role: fields.role as Role };
  const expiresAt = await settleSessionExpiry(sessionId, new Date(storedExpiry), now, sql);
  return expiresAt ? { session: { id: sessionId, expiresAt }, user } : null;
}

/**
 * A found session's expiry, as of `now`: an expired session is deleted
 * (null); one in its second half is extended. Callers that read the session
 * in a query of their own (the progress endpoint) settle it here too.
 */
export async function settleSessionExpiry(
  sessionId: string,
  expiresAt: Date,
  now = new Date(),
  sql: Sql = getSql(),
): Promise<Date | null> {
  if (now.getTime() >= expiresAt.getTime()) {
    await sql.run(deleteSession(sql, sessionId));
    return null;
  }
  if (expiresAt.getTime() - now.getTime() < RENEW_WITHIN_MS) {
    const renewed = new Date(now.getTime() + SESSION_TTL_MS);
    await sql.run(renewSession(sql, sessionId, renewed));
    return renewed;
  }
  return expiresAt;
}

export async function invalidateSession(sessionId: string) {
  await db.session.deleteMany({ where: { id: sessionId } });
}

export async function invalidateUserSessions(userId: string) {
  await db.session.deleteMany({ where: { userId } });
}

export function sessionCookie(token: string, expiresAt: Date): string {
  const parts = [
    `${SESSION_COOKIE}=${token}`,
    "HttpOnly",
    "SameSite=Lax",
    "Path=/",
    `Expires=${expiresAt.toUTCString()}`,
  ];
  if (getEnv().secureCookies) parts.push("Secure");
  return parts.join("; ");
}

export function blankSessionCookie(): string {
  const parts = [`${SESSION_COOKIE}=`, "HttpOnly", "SameSite=Lax", "Path=/", "Max-Age=0"];
  if (getEnv().secureCookies) parts.push("Secure");
  return parts.join("; ");
}

export function readSessionToken(request: Request): string | null {
  return readSessionTokenFromCookie(request.headers.get("Cookie"));
}

export function readSessionTokenFromCookie(header: string | null | undefined): string | null {
  if (!header) return null;
  for (const part of header.split(";")) {
    const [name, ...rest] = part.trim().split("=");
    if (name === SESSION_COOKIE) {
      const value = rest.join("=");
      return /^[a-z2-7]{32}$/.test(value) ? value : null;
    }
  }
  return null;
}
