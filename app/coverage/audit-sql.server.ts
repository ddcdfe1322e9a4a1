import { auditRow, type AuditEntry } from "~/audit/audit.server";
import type { Column, Sql } from "~/db/sql.server";

const AUDIT_COLUMNS: Column<"AuditEvent">[] = [
  { name: "id", type: "text" },
  { name: "at", type: "timestamp" },
  { name: "actorId", type: "text" },
  { name: "actorEmail", type: "text" },
  { name: "action", type: "text" },
  { name: "targetType", type: "text" },
  { name: "targetId", type: "text" },
  { name: "provinceId", type: "text" },
  { name: "agencyId", type: "text" },
  { name: "details", type: "text" },
  { name: "ip", type: "text" },
];

// Changes that rewrite facts run in a driver transaction, so their audit
// entry is written through it too, and stands or falls with them.
export async function auditInSql(tx: Sql, entry: AuditEntry) {
  const row = auditRow(entry);
  await tx.insertMany("AuditEvent", AUDIT_COLUMNS, [AUDIT_COLUMNS.map((c) => row[c.name])]);
}
