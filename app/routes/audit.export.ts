import type { LoaderFunctionArgs } from "@remix-run/node";
import {
  AUDIT_EXPORT_LIMIT,
  auditFileStem,
  auditTable,
  listAudit,
  parseAuditQuery,
  recordPersonalDataExport,
  unitNames,
} from "~/coverage/audit-trail.server";
import { vietnamDay } from "~/coverage/dates";
import { exportResponse } from "~/coverage/export.server";
import { requireCoverageActor } from "~/coverage/scope.server";
import i18nextServer from "~/i18next.server";

// The audit trail as CSV, with the page's filters and scope. The entries name
// people (emails), so the download is itself an audited export.
export async function loader({ request }: LoaderFunctionArgs) {
  const { user, actor } = await requireCoverageActor(request);
  const query = parseAuditQuery(new URL(request.url));
  const t = await i18nextServer.getFixedT(request, "operations");
  const { entries } = await listAudit(actor, query, { limit: AUDIT_EXPORT_LIMIT, offset: 0 });
  const table = auditTable(entries, await unitNames(entries), t);
  const { page: _page, ...filters } = query;
  await recordPersonalDataExport(user, actor, { table: "audit", format: "csv", rows: entries.length, filters });
  return exportResponse(table, "csv", auditFileStem(query, vietnamDay(new Date())));
}
