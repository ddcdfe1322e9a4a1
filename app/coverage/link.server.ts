import { randomBytes } from "node:crypto";
import { recordAudit, type AuditActor } from "~/audit/audit.server";
import { absoluteUrl, newUnsubscribeToken, queueEmail, unsubscribeUrl } from "~/email/outbox.server";
import { db } from "~/utils/db.server";
import { auditInSql } from "./audit-sql.server";
import { lockFactsShared, lockPersons, refreshFacts } from "./facts.server";
import { inScope, type Actor } from "./scope.server";
import { fragment, getSql, type Sql } from "~/db/sql.server";
import { backfillOnlineTraining } from "./training.server";

// A roster person is linked to at most one learner account, and an account to
// at most one person, and only with the person's consent from an account whose
// email is proven: they accept the coordinator's personal invitation, or they
// confirm "this is me" for the roster entry that carries their verified email.
// Nothing links by itself (not sign-up, not verification, not an import): an
// email on a roster or a sign-up form proves nothing. Linking brings in the
// courses the account had already finished; unlinking takes them out again.

async function verifiedEmailOf(tx: Sql, userId: string): Promise<string | null> {
  const user = await tx.first(tx.db.selectFrom("User").select(["email", "emailVerifiedAt"]).where("id", "=", userId));
  return user && user.emailVerifiedAt !== null ? user.email : null;
}

/** Links a locked, unlinked person to an account with no person, and counts the account's finished courses. */
async function link(tx: Sql, personId: string, userId: string, by: string, how: "invite" | "email") {
  await tx.run(
    tx.db
      .updateTable("RosterPerson")
      .set({ userId, inviteToken: null, updatedAt: new Date() })
      .where("id", "=", personId),
  );
  const backfilled = await backfillOnlineTraining(tx, [personId]);
  await refreshFacts(tx, [personId]);
  const [unit] = await tx.all(
    tx.db.selectFrom("RosterPerson").select(["provinceId", "agencyId"]).where("id", "=", personId),
  );
  await auditInSql(tx, {
    actor: { id: userId, email: by },
    action: "person.link",
    target: { type: "RosterPerson", id: personId },
    scope: unit,
    details: { how, records: backfilled },
  });
}

export type RosterMatch = { id: string; fullName: string; agency: string; province: string };

/**
 * Roster entries with this account's verified email that nobody has claimed,
 * for the learner to confirm "this is me". Empty for an unverified account
 * (anyone can type someone else's address into a sign-up form) and for an
 * account already linked.
 */
export async function rosterMatchesFor(userId: string): Promise<RosterMatch[]> {
  const sql = getSql();
  const email = await verifiedEmailOf(sql, userId);
  if (!email) return [];
  const own = await sql.first(sql.db.selectFrom("RosterPerson").select("id").where("userId", "=", userId));
  if (own) return [];
  return sql.all(
    sql.db
      .selectFrom("RosterPerson as p")
      .leftJoin("Agency as a", "a.id", "p.agencyId")
      .leftJoin("Province as v", "v.id", "p.provinceId")
      .select((eb) => [
        "p.id",
        "p.fullName",
        eb.fn.coalesce("a.nameVi", "p.agencyRaw").as("agency"),
        eb.fn.coalesce("v.nameVi", "p.provinceRaw").as("province"),
      ])
      .where("p.email", "=", email)
      .where("p.userId", "is", null)
      .orderBy("p.createdAt")
      .orderBy("p.id"),
  );
}

export type ConfirmOutcome = "linked" | "unverified" | "notFound" | "account_taken";

/** The learner confirms that the unlinked roster entry with their verified email is theirs. */
export async function confirmRosterMatch(userId: string, personId: string): Promise<ConfirmOutcome> {
  return getSql().transaction(async (tx) => {
    const email = await verifiedEmailOf(tx, userId);
    if (!email) return "unverified";
    await lockFactsShared(tx);
    await lockPersons(tx, [personId]);
    const person = await tx.first(
      tx.db
        .selectFrom("RosterPerson")
        .select("id")
        .where("id", "=", personId)
        .where("email", "=", email)
        .where("userId", "is", null),
    );
    if (!person) return "notFound";
    const other = await tx.first(tx.db.selectFrom("RosterPerson").select("id").where("userId", "=", userId));
    if (other) return "account_taken";
    await link(tx, person.id, userId, email, "email");
    return "linked";
  });
}

export type InvitePerson = { id: string; fullName: string; agencyRaw: string; provinceRaw: string; linked: boolean };

/** The person an invitation link is for, or null for an unknown token. */
export async function findInvite(token: string): Promise<InvitePerson | null> {
  if (!/^[a-z0-9]{20,64}$/.test(token)) return null;
  const sql = getSql();
  const row = await sql.first(
    sql.db
      .selectFrom("RosterPerson")
      .select(["id", "fullName", "agencyRaw", "provinceRaw", "userId"])
      .where("inviteToken", "=", token),
  );
  return row
    ? {
        id: row.id,
        fullName: row.fullName,
        agencyRaw: row.agencyRaw,
        provinceRaw: row.provinceRaw,
        linked: row.userId !== null,
      }
    : null;
}

export type AcceptOutcome = "linked" | "unknown" | "unverified" | "person_taken" | "account_taken";

/** The signed-in account, with a verified email, accepts an invitation: the person becomes theirs, and the token is spent. */
export async function acceptInvite(token: string, userId: string): Promise<AcceptOutcome> {
  const invite = await findInvite(token);
  if (!invite) return "unknown";
  return getSql().transaction(async (tx) => {
    const email = await verifiedEmailOf(tx, userId);
    if (!email) return "unverified";
    await lockFactsShared(tx);
    await lockPersons(tx, [invite.id]);
    const person = await tx.first(
      tx.db.selectFrom("RosterPerson").select("userId").where("id", "=", invite.id).where("inviteToken", "=", token),
    );
    if (!person) return "unknown";
    if (person.userId !== null) return person.userId === userId ? "linked" : "person_taken";
    const other = await tx.first(tx.db.selectFrom("RosterPerson").select("id").where("userId", "=", userId));
    if (other) return "account_taken";
    await link(tx, invite.id, userId, email, "invite");
    return "linked";
  });
}

export type UnlinkOutcome = "unlinked" | "notFound" | "notLinked";

/**
 * Undoes a wrong link (a coordinator in scope, or an admin), with a reason:
 * the online records that came from the account's completions go, the facts
 * are rewritten, and the audit entry is written, all in one transaction. The
 * invitation token goes too (it may be the one that reached the wrong person);
 * the person can then be invited again or confirm from their own account.
 */
export async function unlinkAccount(
  actor: Actor,
  personId: string,
  reason: string,
  by: AuditActor,
): Promise<UnlinkOutcome> {
  return getSql().transaction(async (tx) => {
    await lockFactsShared(tx);
    await lockPersons(tx, [personId]);
    const person = await tx.first(
      tx.db
        .selectFrom("RosterPerson as p")
        .leftJoin("User as u", "u.id", "p.userId")
        .select(["p.id", "p.provinceId", "p.agencyId", "p.userId", "u.email as accountEmail"])
        .where("p.id", "=", personId),
    );
    if (!person || !inScope(actor, person)) return "notFound";
    if (person.userId === null) return "notLinked";
    // Only the records made from this account's completions go; an imported
    // or in-person record of the same course and day stays.
    const accountId = person.userId;
    const removed = await tx.run(
      tx.db
        .deleteFrom("TrainingRecord")
        .where("personId", "=", person.id)
        .where("source", "=", fragment.lit("ONLINE"))
        .where("completionId", "in", (eb) =>
          eb.selectFrom("CourseCompletion").select("id").where("userId", "=", accountId),
        ),
    );
    await tx.run(
      tx.db
        .updateTable("RosterPerson")
        .set({ userId: null, inviteToken: null, updatedAt: new Date() })
        .where("id", "=", person.id),
    );
    await refreshFacts(tx, [person.id]);
    await auditInSql(tx, {
      actor: by,
      action: "person.unlink",
      target: { type: "RosterPerson", id: person.id },
      scope: { provinceId: person.provinceId, agencyId: person.agencyId },
      details: { reason, account: person.accountEmail, removedRecords: removed },
    });
    return "unlinked";
  });
}

/** 160 bits, base-36: unguessable and safe in a URL and on paper. */
export function newInviteToken(): string {
  return BigInt(`0x${randomBytes(20).toString("hex")}`).toString(36);
}

/** Issues (or reissues) a person's invitation token; only for someone in the actor's scope and not yet linked. */
export async function issueInvite(actor: Actor, personId: string): Promise<string | null> {
  const sql = getSql();
  const person = await sql.first(
    sql.db.selectFrom("RosterPerson").select(["provinceId", "agencyId", "userId"]).where("id", "=", personId),
  );
  if (!person || !inScope(actor, person) || person.userId !== null) return null;
  const token = newInviteToken();
  await sql.run(
    sql.db.updateTable("RosterPerson").set({ inviteToken: token, updatedAt: new Date() }).where("id", "=", personId),
  );
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
