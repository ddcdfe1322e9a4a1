import { randomBytes } from "node:crypto";
import { recordAudit, type AuditActor } from "~/audit/audit.server";
import { absoluteUrl, newUnsubscribeToken, queueEmail, unsubscribeUrl } from "~/email/outbox.server";
import { db } from "~/utils/db.server";
import { lockFactsShared, lockPersons, refreshFacts } from "./facts.server";
import { inScope, type Actor } from "./scope.server";
import { getSql, inList, listParam, type Sql } from "./sql.server";
import { backfillOnlineTraining } from "./training.server";

// A roster person is linked to at most one learner account, and an account to
// at most one person: by the same email, or by a personal invitation link the
// coordinator hands out. Linking brings in the courses the account had
// already finished.

/**
 * Links people to the accounts registered with their email, where neither is
 * linked yet (the first person listed wins an email two people share). Runs
 * inside the caller's transaction; the caller refreshes facts.
 */
export async function linkPeopleByEmail(tx: Sql, people: readonly { id: string; email: string }[]): Promise<string[]> {
  if (people.length === 0) return [];
  const userByEmail = await unlinkedAccounts(tx, people.map((p) => p.email));
  if (userByEmail.size === 0) return [];
  const unlinked = new Set(
    (
      await tx.all<{ id: string }>(`SELECT "id" FROM "RosterPerson" WHERE ${inList(tx, `"id"`)} AND "userId" IS NULL`, [
        listParam(tx, people.map((p) => p.id)),
      ])
    ).map((p) => p.id),
  );
  const linked: string[] = [];
  for (const person of people) {
    const userId = userByEmail.get(person.email);
    if (!userId || !unlinked.has(person.id)) continue;
    userByEmail.delete(person.email);
    await tx.run(`UPDATE "RosterPerson" SET "userId" = ? WHERE "id" = ? AND "userId" IS NULL`, [userId, person.id]);
    linked.push(person.id);
  }
  await backfillOnlineTraining(tx, linked);
  return linked;
}

/** Accounts registered with these emails that no roster person is linked to yet, by email. */
export async function unlinkedAccounts(tx: Sql, emails: readonly string[]): Promise<Map<string, string>> {
  if (emails.length === 0) return new Map();
  const users = await tx.all<{ id: string; email: string }>(
    `SELECT u."id", u."email" FROM "User" u
      WHERE ${inList(tx, `u."email"`)} AND NOT EXISTS (SELECT 1 FROM "RosterPerson" p WHERE p."userId" = u."id")`,
    [listParam(tx, [...new Set(emails)])],
  );
  return new Map(users.map((u) => [u.email, u.id]));
}

/** A new account finds its roster entry by email (called after sign-up). */
export async function linkNewAccount(userId: string, email: string): Promise<boolean> {
  return getSql().transaction(async (tx) => {
    const [person] = await tx.all<{ id: string }>(
      `SELECT "id" FROM "RosterPerson" WHERE "email" = ? AND "userId" IS NULL ORDER BY "createdAt", "id" LIMIT 1`,
      [email.trim().toLowerCase()],
    );
    if (!person) return false;
    await lockFactsShared(tx);
    await lockPersons(tx, [person.id]);
    const linked = await linkPeopleByEmail(tx, [{ id: person.id, email: email.trim().toLowerCase() }]);
    await refreshFacts(tx, linked);
    return linked.length > 0;
  });
}

export type InvitePerson = { id: string; fullName: string; agencyRaw: string; provinceRaw: string; linked: boolean };

/** The person an invitation link is for, or null for an unknown token. */
export async function findInvite(token: string): Promise<InvitePerson | null> {
  if (!/^[a-z0-9]{20,64}$/.test(token)) return null;
  const [row] = await getSql().all<{ id: string; fullName: string; agencyRaw: string; provinceRaw: string; userId: string | null }>(
    `SELECT "id", "fullName", "agencyRaw", "provinceRaw", "userId" FROM "RosterPerson" WHERE "inviteToken" = ?`,
    [token],
  );
  return row ? { id: row.id, fullName: row.fullName, agencyRaw: row.agencyRaw, provinceRaw: row.provinceRaw, linked: row.userId !== null } : null;
}

export type AcceptOutcome = "linked" | "unknown" | "person_taken" | "account_taken";

/** The signed-in account accepts an invitation: the person becomes theirs, and the token is spent. */
export async function acceptInvite(token: string, userId: string): Promise<AcceptOutcome> {
  const invite = await findInvite(token);
  if (!invite) return "unknown";
  return getSql().transaction(async (tx) => {
    await lockFactsShared(tx);
    await lockPersons(tx, [invite.id]);
    const [person] = await tx.all<{ userId: string | null }>(`SELECT "userId" FROM "RosterPerson" WHERE "id" = ? AND "inviteToken" = ?`, [
      invite.id,
      token,
    ]);
    if (!person) return "unknown";
    if (person.userId !== null) return person.userId === userId ? "linked" : "person_taken";
    const [other] = await tx.all<{ id: string }>(`SELECT "id" FROM "RosterPerson" WHERE "userId" = ?`, [userId]);
    if (other) return "account_taken";
    await tx.run(`UPDATE "RosterPerson" SET "userId" = ?, "inviteToken" = NULL WHERE "id" = ?`, [userId, invite.id]);
    await backfillOnlineTraining(tx, [invite.id]);
    await refreshFacts(tx, [invite.id]);
    return "linked";
  });
}

/** 160 bits, base-36: unguessable and safe in a URL and on paper. */
export function newInviteToken(): string {
  return BigInt(`0x${randomBytes(20).toString("hex")}`).toString(36);
}

/** Issues (or reissues) a person's invitation token; only for someone in the actor's scope and not yet linked. */
export async function issueInvite(actor: Actor, personId: string): Promise<string | null> {
  const [person] = await getSql().all<{ provinceId: string | null; agencyId: string | null; userId: string | null }>(
    `SELECT "provinceId", "agencyId", "userId" FROM "RosterPerson" WHERE "id" = ?`,
    [personId],
  );
  if (!person || !inScope(actor, person) || person.userId !== null) return null;
  const token = newInviteToken();
  await getSql().run(`UPDATE "RosterPerson" SET "inviteToken" = ?, "updatedAt" = ? WHERE "id" = ?`, [token, new Date(), personId]);
  return token;
}

export type InviteEmailOutcome = "queued" | "notFound" | "linked" | "noEmail" | "optedOut";

/**
 * Emails a person their personal invitation link (made if they have none),
 * with the message, the audit entry and the token in one transaction. Only
 * for someone in the actor's scope who has an email, no account yet, and has
 * not unsubscribed.
 */
export async function emailInvitation(actor: Actor, personId: string, sender: AuditActor): Promise<InviteEmailOutcome> {
  return db.$transaction(async (tx) => {
    const person = await tx.rosterPerson.findUnique({
      where: { id: personId },
      select: {
        id: true,
        fullName: true,
        email: true,
        userId: true,
        inviteToken: true,
        provinceId: true,
        agencyId: true,
        agencyRaw: true,
        provinceRaw: true,
        agency: { select: { nameVi: true } },
        province: { select: { nameVi: true } },
      },
    });
    if (!person || !inScope(actor, person)) return "notFound";
    if (person.userId !== null) return "linked";
    if (!person.email) return "noEmail";
    if (await tx.emailOptOut.findUnique({ where: { email: person.email } })) return "optedOut";
    let token = person.inviteToken;
    if (!token) {
      token = newInviteToken();
      await tx.rosterPerson.update({ where: { id: person.id }, data: { inviteToken: token } });
    }
    const unsubscribeToken = newUnsubscribeToken();
    await queueEmail(
      {
        template: "personalInvite",
        params: {
          name: person.fullName,
          agency: person.agency?.nameVi ?? person.agencyRaw,
          province: person.province?.nameVi ?? person.provinceRaw,
          link: absoluteUrl(`/invite/${token}`),
          unsubscribeLink: unsubscribeUrl(unsubscribeToken),
        },
        to: person.email,
        toName: person.fullName,
        locale: "vi",
        personId: person.id,
        unsubscribeToken,
      },
      tx,
    );
    await recordAudit(
      {
        actor: sender,
        action: "person.invite_sent",
        target: { type: "RosterPerson", id: person.id },
        scope: { provinceId: person.provinceId, agencyId: person.agencyId },
        details: { email: person.email },
      },
      tx,
    );
    return "queued";
  });
}
