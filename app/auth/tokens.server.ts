import { sha256 } from "@oslojs/crypto/sha2";
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from "@oslojs/encoding";
import { db, type DbClient } from "~/utils/db.server";

// Single-use links sent by email: set a first password (invitation), reset a
// forgotten one, verify an address. The link carries 160 random bits; the
// database keeps only their SHA-256, as for sessions.

export type AccountTokenKind = "SET_PASSWORD" | "RESET_PASSWORD" | "VERIFY_EMAIL";

const HOUR_MS = 60 * 60 * 1000;
export const TOKEN_TTL_MS: Record<AccountTokenKind, number> = {
  SET_PASSWORD: 24 * HOUR_MS,
  RESET_PASSWORD: HOUR_MS,
  VERIFY_EMAIL: 7 * 24 * HOUR_MS,
};

export const TOKEN_PATH: Record<AccountTokenKind, string> = {
  SET_PASSWORD: "/set-password",
  RESET_PASSWORD: "/reset-password",
  VERIFY_EMAIL: "/verify-email",
};

const TOKEN_PATTERN = /^[a-z2-7]{32}$/;

function tokenId(token: string): string {
  return encodeHexLowerCase(sha256(new TextEncoder().encode(token)));
}

/**
 * A new link for `userId`. Earlier unused links of the same kind stop working,
 * so only the newest email's link is live.
 */
export async function createAccountToken(
  userId: string,
  kind: AccountTokenKind,
  client: DbClient = db,
  now = new Date(),
): Promise<string> {
  const bytes = new Uint8Array(20);
  crypto.getRandomValues(bytes);
  const token = encodeBase32LowerCaseNoPadding(bytes);
  await client.accountToken.updateMany({ where: { userId, kind, usedAt: null }, data: { usedAt: now } });
  await client.accountToken.create({
    data: { id: tokenId(token), kind, userId, expiresAt: new Date(now.getTime() + TOKEN_TTL_MS[kind]) },
  });
  return token;
}

export type TokenLookup = { ok: true; userId: string } | { ok: false; reason: "invalid" | "expired" | "used" };

/** What a link stands for, without using it (to show the form). */
export async function peekAccountToken(
  token: string,
  kinds: readonly AccountTokenKind[],
  now = new Date(),
): Promise<TokenLookup> {
  if (!TOKEN_PATTERN.test(token)) return { ok: false, reason: "invalid" };
  const row = await db.accountToken.findUnique({ where: { id: tokenId(token) } });
  if (!row || !kinds.includes(row.kind)) return { ok: false, reason: "invalid" };
  if (row.usedAt) return { ok: false, reason: "used" };
  if (row.expiresAt.getTime() <= now.getTime()) return { ok: false, reason: "expired" };
  return { ok: true, userId: row.userId };
}

/**
 * Uses a link once: the conditional update lets exactly one of two
 * simultaneous requests through. Run it inside the transaction that does what
 * the link allows, so a failed change leaves the link usable.
 */
export async function consumeAccountToken(
  token: string,
  kinds: readonly AccountTokenKind[],
  client: DbClient = db,
  now = new Date(),
): Promise<TokenLookup & { kind?: AccountTokenKind }> {
  if (!TOKEN_PATTERN.test(token)) return { ok: false, reason: "invalid" };
  const id = tokenId(token);
  const row = await client.accountToken.findUnique({ where: { id } });
  if (!row || !kinds.includes(row.kind)) return { ok: false, reason: "invalid" };
  if (row.usedAt) return { ok: false, reason: "used" };
  if (row.expiresAt.getTime() <= now.getTime()) return { ok: false, reason: "expired" };
  const { count } = await client.accountToken.updateMany({ where: { id, usedAt: null }, data: { usedAt: now } });
  if (count !== 1) return { ok: false, reason: "used" };
  return { ok: true, userId: row.userId, kind: row.kind };
}

/** The absolute path of a link (PUBLIC_URL is prefixed by the email module). */
export function tokenPath(kind: AccountTokenKind, token: string): string {
  return `${TOKEN_PATH[kind]}/${token}`;
}
