import { z } from "zod";
import type { Prisma } from "~/generated/prisma-sqlite/client";
import { isoOfDay, parseIsoDay, dateOfDay } from "./dates";
import type { ExportTable } from "./export.server";
import { isNational, scopeOf, type Actor } from "./scope.server";
import { db } from "~/utils/db.server";
import { AUDIT_ACTIONS, parseAuditDetails, recordAudit } from "~/audit/audit.server";

// Reading the audit trail (app/audit writes it; reading is by a coordinator's
// scope, so the reader lives with coverage). Who sees what:
// - admins: every entry;
// - a national coordinator: every entry about coverage (imports, rules,
//   groups, reminders, exports), not account administration;
// - a coordinator scoped to a province or agency: the coverage entries whose
//   province / agency is theirs, the same scope as their coverage pages.

export const COVERAGE_AUDIT_ACTIONS = [
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
] as const satisfies readonly (typeof AUDIT_ACTIONS)[number][];

const optionalDay = z
  .string()
  .refine((v) => parseIsoDay(v) !== null)
  .optional()
  .catch(undefined);

/** The page's and the export's query string; a value that does not parse is ignored. */
export const AuditQuerySchema = z.object({
  action: z.enum(AUDIT_ACTIONS).optional().catch(undefined),
  actor: z.string().trim().toLowerCase().max(200).optional().catch(undefined),
  target: z.string().trim().max(200).optional().catch(undefined),
  from: optionalDay,
  to: optionalDay,
  page: z.coerce.number().int().min(1).max(100_000).default(1).catch(1),
});
export type AuditQuery = z.infer<typeof AuditQuerySchema>;

export function parseAuditQuery(url: URL): AuditQuery {
  const query = AuditQuerySchema.parse(Object.fromEntries(url.searchParams));
  return { ...query, actor: query.actor || undefined, target: query.target || undefined };
}

export const AUDIT_PAGE_SIZE = 50;
// Vietnam is UTC+7 all year: a day there starts at 17:00 UTC the day before.
const VIETNAM_OFFSET_MS = 7 * 3_600_000;

/** The entries this actor may read: the scope first, the filters on top of it. */
export function auditWhere(actor: Actor, query: AuditQuery): Prisma.AuditEventWhereInput {
  const and: Prisma.AuditEventWhereInput[] = [];
  const admin = actor.kind === "system" || actor.role === "ADMIN";
  if (!admin) {
    and.push({ action: { in: [...COVERAGE_AUDIT_ACTIONS] } });
    if (!isNational(actor)) {
      const scope = scopeOf(actor);
      if (scope.provinceId !== null) and.push({ provinceId: scope.provinceId });
      if (scope.agencyId !== null) and.push({ agencyId: scope.agencyId });
    }
  }
  if (query.action) and.push({ action: query.action });
  if (query.actor) and.push({ actorEmail: { contains: query.actor } });
  if (query.target) and.push({ OR: [{ targetId: query.target }, { targetType: query.target }] });
  if (query.from)
    and.push({ at: { gte: new Date(dateOfDay(parseIsoDay(query.from)!).getTime() - VIETNAM_OFFSET_MS) } });
  if (query.to) and.push({ at: { lt: new Date(dateOfDay(parseIsoDay(query.to)! + 1).getTime() - VIETNAM_OFFSET_MS) } });
  return { AND: and };
}

export type AuditListItem = {
  id: string;
  at: string;
  actorEmail: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  provinceId: string | null;
  agencyId: string | null;
  details: Record<string, unknown>;
};

/** One page, newest first. */
export async function listAudit(actor: Actor, query: AuditQuery, page: { limit: number; offset: number } | null) {
  const where = auditWhere(actor, query);
  const [total, rows] = await Promise.all([
    db.auditEvent.count({ where }),
    db.auditEvent.findMany({
      where,
      // Ids are time-ordered (sortableId), so this is the newest first, stably.
      orderBy: [{ at: "desc" }, { id: "desc" }],
      ...(page ? { take: page.limit, skip: page.offset } : {}),
    }),
  ]);
  const entries: AuditListItem[] = rows.map((r) => ({
    id: r.id,
    at: r.at.toISOString(),
    actorEmail: r.actorEmail,
    action: r.action,
    targetType: r.targetType,
    targetId: r.targetId,
    provinceId: r.provinceId,
    agencyId: r.agencyId,
    details: parseAuditDetails(r.details),
  }));
  return { total, entries };
}

/** Province and agency names for the ids in these entries. */
export async function unitNames(entries: readonly AuditListItem[]): Promise<Record<string, string>> {
  const provinceIds = [...new Set(entries.flatMap((e) => (e.provinceId ? [e.provinceId] : [])))];
  const agencyIds = [...new Set(entries.flatMap((e) => (e.agencyId ? [e.agencyId] : [])))];
  const [provinces, agencies] = await Promise.all([
    provinceIds.length
      ? db.province.findMany({ where: { id: { in: provinceIds } }, select: { id: true, nameVi: true } })
      : [],
    agencyIds.length
      ? db.agency.findMany({ where: { id: { in: agencyIds } }, select: { id: true, nameVi: true } })
      : [],
  ]);
  return Object.fromEntries([...provinces, ...agencies].map((u) => [u.id, u.nameVi]));
}

/** The largest export: enough for years of a province's entries; narrow the dates for more. */
export const AUDIT_EXPORT_LIMIT = 50_000;

/** The entries as a table for CSV; the caller's translations name the columns and actions. */
export function auditTable(
  entries: readonly AuditListItem[],
  names: Record<string, string>,
  t: (key: string) => string,
): ExportTable {
  return {
    title: t("audit.title"),
    columns: [
      { key: "at", header: t("audit.columns.at") },
      { key: "actor", header: t("audit.columns.actor") },
      { key: "action", header: t("audit.columns.action") },
      { key: "actionCode", header: t("audit.columns.actionCode") },
      { key: "targetType", header: t("audit.columns.targetType") },
      { key: "targetId", header: t("audit.columns.targetId") },
      { key: "province", header: t("audit.columns.province") },
      { key: "agency", header: t("audit.columns.agency") },
      { key: "details", header: t("audit.columns.details") },
    ],
    rows: entries.map((e) => ({
      at: e.at,
      actor: e.actorEmail ?? t("audit.system"),
      action: t(`audit.action.${e.action}`),
      actionCode: e.action,
      targetType: e.targetType,
      targetId: e.targetId,
      province: e.provinceId ? (names[e.provinceId] ?? e.provinceId) : null,
      agency: e.agencyId ? (names[e.agencyId] ?? e.agencyId) : null,
      details: JSON.stringify(e.details),
    })),
  };
}

export function auditFileStem(query: AuditQuery, today: number): string {
  return `audit-${query.from ?? "start"}-${query.to ?? isoOfDay(today)}`;
}

/** Records a download of personal data (roster, follow-up list, rejected rows, the audit trail itself). */
export async function recordPersonalDataExport(
  user: { id: string; email: string },
  actor: Actor,
  details: { table: string; format: string; rows: number; filters: Record<string, unknown> },
) {
  const scope = scopeOf(actor);
  await recordAudit({
    actor: { id: user.id, email: user.email },
    action: "export.personal_data",
    target: { type: "export", id: details.table },
    scope: { provinceId: scope.provinceId, agencyId: scope.agencyId },
    details: {
      ...details,
      filters: Object.fromEntries(
        Object.entries(details.filters).filter(([, v]) => v !== undefined && v !== null && v !== ""),
      ),
    },
  });
}
