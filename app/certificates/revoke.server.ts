import { z } from "zod";
import type { AuditActor } from "~/audit/audit.server";
import { auditInSql } from "~/coverage/audit-sql.server";
import { lockFactsShared, lockPersons, refreshFacts } from "~/coverage/facts.server";
import { getSql, isoInstantOf } from "~/db/sql.server";
import { CERTIFICATE_CODE } from "./details.server";

// Withdrawing a certificate. The certificate, the training records it
// produced (voided from the same moment: they stop counting from that day,
// and reports for earlier days count them as before), the coverage facts and
// the audit trail change in one transaction. A certificate is withdrawn once:
// of two admins revoking together, one does it and the other is told.

/** Why, in a sentence: shown on the public page, so 3 to 500 characters. */
export const RevocationReason = z.string().trim().min(3).max(500);

export type RevokeOutcome =
  | { outcome: "revoked"; at: Date; voidedRecords: number }
  | { outcome: "alreadyRevoked"; at: Date }
  | { outcome: "notFound" };

export async function revokeCertificate(
  code: string,
  reason: string,
  by: AuditActor & { id: string },
  at = new Date(),
): Promise<RevokeOutcome> {
  if (!CERTIFICATE_CODE.test(code)) return { outcome: "notFound" };
  const why = RevocationReason.parse(reason);
  return getSql().transaction(async (tx) => {
    await lockFactsShared(tx);
    const completion = await tx.first(
      tx.db
        .selectFrom("CourseCompletion")
        .select((eb) => ["id", isoInstantOf(tx, eb.ref("revokedAt")).as("revokedAt")])
        .where("certificateCode", "=", code),
    );
    if (!completion) return { outcome: "notFound" };
    if (completion.revokedAt !== null) return { outcome: "alreadyRevoked", at: new Date(completion.revokedAt) };
    const records = await tx.all(
      tx.db
        .selectFrom("TrainingRecord as t")
        .innerJoin("RosterPerson as p", "p.id", "t.personId")
        .select(["t.id", "t.personId", "t.courseCode", "p.provinceId", "p.agencyId"])
        .where("t.completionId", "=", completion.id)
        .where("t.voidedAt", "is", null)
        .orderBy("t.id"),
    );
    const personIds = [...new Set(records.map((r) => r.personId))];
    await lockPersons(tx, personIds);
    // Conditional: on PostgreSQL a concurrent revoke that committed after our read leaves nothing to change here.
    const changed = await tx.run(
      tx.db
        .updateTable("CourseCompletion")
        .set({ revokedAt: at, revokedReason: why, revokedById: by.id })
        .where("id", "=", completion.id)
        .where("revokedAt", "is", null),
    );
    if (changed === 0) {
      const winner = await tx.first(
        tx.db
          .selectFrom("CourseCompletion")
          .select((eb) => isoInstantOf(tx, eb.ref("revokedAt")).as("revokedAt"))
          .where("id", "=", completion.id),
      );
      return { outcome: "alreadyRevoked", at: new Date(winner?.revokedAt ?? at) };
    }
    const voided = [];
    for (const record of records) {
      const n = await tx.run(
        tx.db
          .updateTable("TrainingRecord")
          .set({ voidedAt: at, voidedById: by.id, voidReason: why })
          .where("id", "=", record.id)
          .where("voidedAt", "is", null),
      );
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
