import { z } from "zod";
import { sortableId } from "~/utils/ids.server";
import { db, type DbClient } from "~/utils/db.server";
import { parseStoredJsonOr } from "~/utils/stored-json";

// The audit trail: append-only. Every administrative or coordinator action
// that changes who may do what, what counts, or who is told something, writes
// one AuditEvent in the same transaction as the change itself, so an action
// and its record stand or fall together. Nothing in the application updates
// or deletes these rows.

export const AUDIT_ACTIONS = [
  "user.create",
  "user.invite",
  "user.role",
  "user.scope",
  "user.deactivate",
  "user.reactivate",
  "user.unlock",
  "user.password_reset_sent",
  "user.password_set",
  "course.owner_add",
  "course.owner_remove",
  "import.roster",
  "import.training",
  "rule.add",
  "rule.withdraw",
  "group.create",
  "group.update",
  "reminder.send",
  "person.invite_sent",
  "person.link",
  "person.unlink",
  "training.void",
  "export.personal_data",
  "media.gc",
  "certificate.revoke",
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** Who did it: a signed-in user, or the command line / the system (no user). */
export type AuditActor = { id: string; email: string } | { id: null; email: string | null };

export const CLI_ACTOR: AuditActor = { id: null, email: "cli" };
export const SYSTEM_AUDIT_ACTOR: AuditActor = { id: null, email: null };

export type AuditEntry = {
  actor: AuditActor;
  action: AuditAction;
  target?: { type: string; id: string } | null;
  /** The province / agency the entry concerns: coordinators of that unit see it. */
  scope?: { provinceId?: string | null; agencyId?: string | null };
  details?: Record<string, unknown>;
  ip?: string | null;
};

// Details are small facts (a file name, counts, old and new values); never a
// password, a token or a whole file. Long strings are cut.
const Details = z
  .record(z.string(), z.unknown())
  .transform((details) =>
    JSON.stringify(details, (_key, value: unknown) =>
      typeof value === "string" && value.length > 500 ? `${value.slice(0, 500)}…` : value,
    ),
  );

/** The row an entry becomes; for writers that insert it through the coverage SQL layer in their own transaction. */
export function auditRow(entry: AuditEntry, at = new Date()) {
  return {
    id: sortableId(),
    at,
    actorId: entry.actor.id,
    actorEmail: entry.actor.email,
    action: entry.action,
    targetType: entry.target?.type ?? null,
    targetId: entry.target?.id ?? null,
    provinceId: entry.scope?.provinceId ?? null,
    agencyId: entry.scope?.agencyId ?? null,
    details: Details.parse(entry.details ?? {}),
    ip: entry.ip ?? null,
  };
}

export async function recordAudit(entry: AuditEntry, client: DbClient = db): Promise<string> {
  const data = auditRow(entry);
  await client.auditEvent.create({ data });
  return data.id;
}

const StoredDetails = z.record(z.string(), z.unknown());

/** AuditEvent.details, read back; unreadable details show as none, the entry's other columns still say what happened. */
export function parseAuditDetails(json: string): Record<string, unknown> {
  return parseStoredJsonOr("AuditEvent.details", StoredDetails, json, {});
}
