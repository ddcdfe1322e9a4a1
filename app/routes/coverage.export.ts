import type { LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { recordPersonalDataExport } from "~/coverage/audit-trail.server";
import { exportResponse, exportStreamResponse } from "~/coverage/export.server";
import { keptRejects, rejectPages } from "~/coverage/imports.server";
import { asOfRefusal, coveragePage } from "~/coverage/page.server";
import { buildExportTable, EXPORT_TABLES, streamedRejectsTable } from "~/coverage/tables.server";
import { visibleImport } from "~/coverage/upload.server";
import { badRequest, notFound } from "~/utils/route.server";

// Every coverage table as CSV or XLSX: the same scoped functions as the pages.
const ExportParams = z.object({
  table: z.enum([...EXPORT_TABLES, "rejects"]),
  format: z.enum(["csv", "xlsx"]),
  import: z
    .string()
    .regex(/^[A-Za-z0-9]{1,40}$/)
    .optional(),
});

// The tables whose figures are as of a date; the others are lists as they stand.
const DATED_TABLES = new Set<string>(["groups", "provinces", "agencies", "matrix", "monthly", "follow-up"]);

const PERSONAL_TABLES = new Set<string>(["follow-up", "roster", "records"]);

export async function loader({ request }: LoaderFunctionArgs) {
  const { user, actor, query, t, lang } = await coveragePage(request);
  const parsed = ExportParams.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) throw badRequest();
  const { table, format } = parsed.data;
  const refusal = DATED_TABLES.has(table) ? asOfRefusal(query, t, lang) : null;
  if (refusal) throw refusal;
  if (table === "rejects") {
    const record = parsed.data.import ? await visibleImport(actor, user.id, parsed.data.import) : null;
    if (!record) throw notFound();
    // Up to REJECTS_KEPT rows: streamed from the stored pages, never built whole.
    const { rejects } = await keptRejects(record.id);
    await recordPersonalDataExport(user, actor, {
      table,
      format,
      rows: rejects,
      filters: { import: parsed.data.import },
    });
    return exportStreamResponse(
      streamedRejectsTable(rejectPages(record.id), t),
      format,
      `rejects-${record.fileName.replace(/\.[^.]+$/, "")}`,
    );
  }
  const exported = await buildExportTable(table, actor, query, t, lang);
  // Lists of people are personal data: who took them, and which, is recorded.
  if (PERSONAL_TABLES.has(table)) {
    const filters = {
      asOf: query.asOfIso,
      group: query.group,
      province: query.province,
      former: query.former,
      agency: query.agency,
      q: query.q,
      linked: query.linked,
    };
    await recordPersonalDataExport(user, actor, { table, format, rows: exported.rows.length, filters });
  }
  return exportResponse(exported, format, `${table}-${query.asOfIso}`);
}
