import type { LoaderFunctionArgs } from "@remix-run/node";
import { ROSTER_HEADER, TRAINING_HEADER } from "~/coverage/import-columns";
import { exportResponse, type ExportTable } from "~/coverage/export.server";
import { requireCoverageActor } from "~/coverage/scope.server";
import { notFound } from "~/utils/route.server";

// The canonical import templates: the header row, nothing else, so a template
// imported as it is changes nothing.
const TEMPLATES: Record<string, { title: string; header: readonly string[] }> = {
  roster: { title: "roster", header: ROSTER_HEADER },
  training: { title: "training", header: TRAINING_HEADER },
};

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireCoverageActor(request);
  const match = /^(roster|training)\.(csv|xlsx)$/.exec(params.file ?? "");
  const template = match ? TEMPLATES[match[1]!] : undefined;
  if (!match || !template) throw notFound();
  const table: ExportTable = {
    title: template.title,
    columns: template.header.map((key) => ({ key, header: key })),
    rows: [],
  };
  return exportResponse(table, match[2] as "csv" | "xlsx", `${template.title}-template`);
}
