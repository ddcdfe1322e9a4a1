import { createReadStream } from "node:fs";
import { Readable } from "node:stream";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { recordPersonalDataExport } from "~/coverage/audit-trail.server";
import { exportFile } from "~/certificates/export.server";
import { isoOfDay } from "~/coverage/dates";
import { requireCoverageActor } from "~/coverage/scope.server";
import { notFound } from "~/utils/route.server";

// GET /coverage/certificates/<job>.zip — the export's file, for the person who
// asked for it, in the scope they had then, within its day. Anything else is
// a 404, whether the job is someone else's, unfinished or expired.

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, actor } = await requireCoverageActor(request);
  const file = await exportFile(params.jobId ?? "", { id: user.id, actor });
  if (!file) throw notFound();
  // Names, roster facts and certificates of people: a download is recorded.
  const { courseId, fromDay, toDay } = file.filter ?? {};
  await recordPersonalDataExport(user, actor, {
    table: "certificates",
    format: "zip",
    rows: file.result.count,
    filters: {
      course: courseId,
      from: fromDay !== undefined ? isoOfDay(fromDay) : undefined,
      to: toDay !== undefined ? isoOfDay(toDay) : undefined,
      job: params.jobId,
    },
  });
  const body = Readable.toWeb(createReadStream(file.path)) as ReadableStream<Uint8Array>;
  return new Response(body, {
    headers: {
      "Content-Type": "application/zip",
      "Content-Length": String(file.size),
      "Content-Disposition": `attachment; filename="${file.fileName}"`,
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
