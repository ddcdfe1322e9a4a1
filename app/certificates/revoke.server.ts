import { z } from "zod";
import type { AuditActor } from "~/audit/audit.server";
import { auditInSql } from "~/coverage/audit-sql.server";
import { lockFactsShared, lockPersons, refreshFacts } from "~/coverage/facts.server";
import { getSql } from "~/db/sql.server";
import { isoInstantOf } from "~/db/legacy-sql.server";
import { CERTIFICATE_CODE } from "./details.server";

// Withdrawing a certificate. The certificate, the training records it
// produced (voided from the same moment: they stop counting from that day,
// and reports for earlier days count them as before), the coverage facts and
// the audit trail change in one transaction. A certificate is withdrawn once:
// of two admins revoking together, one does it and the other is told.

/** Why, in a sentence: shown on the public page, so 3 to 500 characters. */
export const RevocationReason = z.string().trim().min(3).max(500);

export type RevokeOutcome = { outcome: "revoked"; at: Date; voidedRecords: number } | { outcome: "alreadyRevoked"; at: Date } | { outcome: "notFound" };

export async function revokeCertificate(code: string, reason: string, by: AuditActor & { id: string }, at = new Date()): Promise<RevokeOutcome> {
  if (!CERTIFICATE_CODE.test(code)) return { outcome: "notFound" };
  const why = RevocationReason.parse(reason);
  return getSql().transaction(async (tx) => {
    await lockFactsShared(tx);
    const [completion] = await tx.all<{ id: string; revokedAt: string | null }>(
      `SELECT "id", ${isoInstantOf(tx, `"revokedAt"`)} AS "revokedAt" FROM "CourseCompletion" WHERE "certificateCode" = ?`,
      [code],
    );
    if (!completion) return { outcome: "notFound" };
    if (completion.revokedAt !== null) return { outcome: "alreadyRevoked", at: new Date(completion.revokedAt) };
    const records = await tx.all<{ id: string; personId: string; courseCode: string; provinceId: string | null; agencyId: string | null }>(
      `SELECT t."id", t."personId", t."courseCode", p."provinceId", p."agencyId"
         FROM "TrainingRecord" t JOIN "RosterPerson" p ON p."id" = t."personId"
        WHERE t."completionId" = ? AND t."voidedAt" IS NULL ORDER BY t."id"`,
      [completion.id],
    );
    const personIds = [...new Set(records.map((r) => r.personId))];
    await lockPersons(tx, personIds);
    // Conditional: on PostgreSQL a concurrent revoke that committed after our read leaves nothing to change here.
    const changed = await tx.run(
      `UPDATE "CourseCompletion" SET "revokedAt" = ?, "revokedReason" = ?, "revokedById" = ? WHERE "id" = ? AND "revokedAt" IS NULL`,
      [at, why, by.id, completion.id],
    );
    if (changed === 0) {
      const [winner] = await tx.all<{ revokedAt: string }>(`SELECT ${isoInstantOf(tx, `"revokedAt"`)} AS "revokedAt" FROM "CourseCompletion" WHERE "id" = ?`, [completion.id]);
      return { outcome: "alreadyRevoked", at: new Date(winner?.revokedAt ?? at) };
    }
    const voided = [];
    for (const record of records) {
      const n = await tx.run(`UPDATE "TrainingRecord" SET "voidedAt" = ?, "voidedById" = ?, "voidReason" = ? WHERE "id" = ? AND "voidedAt" IS NULL`, [
        at,
        by.id,
        why,
        record.id,
      ]);
      if (n > 0) voided.push(record);
    }
    await refreshFacts(tx, personIds);
    await auditInSql(tx, {
      actor: by,
      action: "certificate.revoke",
      target: { type: "CourseCompletion", id: completion.id },
      details: { code, reason: why, voidedRecords: voided.map((r) => r.id) },
    });
    // Coordinators see the records of their province or agency voided, and why, in their own trail.
    for (const record of voided) {
      await auditInSql(tx, {
        actor: by,
        action: "training.void",
        target: { type: "TrainingRecord", id: record.id },
        scope: { provinceId: record.provinceId, agencyId: record.agencyId },
        details: { person: record.personId, course: record.courseCode, reason: why, certificate: code },
      });
    }
    return { outcome: "revoked", at, voidedRecords: voided.length };
  });
}
