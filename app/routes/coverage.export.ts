import type { LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { exportResponse } from "~/coverage/export.server";
import { parseStoredRejects } from "~/coverage/imports.server";
import { coveragePage } from "~/coverage/page.server";
import { buildExportTable, EXPORT_TABLES, rejectsTable } from "~/coverage/tables.server";
import { importsVisibleTo } from "~/coverage/upload.server";
import { db } from "~/utils/db.server";

// Every coverage table as CSV or XLSX: the same scoped functions as the pages.
const ExportParams = z.object({
  table: z.enum([...EXPORT_TABLES, "rejects"]),
  format: z.enum(["csv", "xlsx"]),
  import: z.string().regex(/^[A-Za-z0-9]{1,40}$/).optional(),
});

export async function loader({ request }: LoaderFunctionArgs) {
  const { user, actor, query, t, lang } = await coveragePage(request);
  const parsed = ExportParams.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) throw new Response("Bad Request", { status: 400 });
  const { table, format } = parsed.data;
  if (table === "rejects") {
    const record = parsed.data.import
      ? await db.dataImport.findFirst({ where: { id: parsed.data.import, ...importsVisibleTo(actor, user.id) }, select: { rejects: true, fileName: true } })
      : null;
    if (!record) throw new Response("Not found", { status: 404 });
    return exportResponse(rejectsTable(parseStoredRejects(record.rejects), t), format, `rejects-${record.fileName.replace(/\.[^.]+$/, "")}`);
  }
  return exportResponse(await buildExportTable(table, actor, query, t, lang), format, `${table}-${query.asOfIso}`);
}
