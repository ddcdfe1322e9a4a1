import { MaxPartSizeExceededError, unstable_createMemoryUploadHandler, unstable_parseMultipartFormData } from "@remix-run/node";
import { z } from "zod";
import type { SessionUser } from "~/auth/auth.server";
import { db } from "~/utils/db.server";
import { startImport } from "./import-jobs.server";
import { isNational, type Actor } from "./scope.server";

// A roster of 200,000 rows is about 25 MB as CSV; the limit leaves room for
// XLSX overhead while keeping one upload's memory bounded.
export const IMPORT_MAX_MB = 64;

const UploadFields = z.object({
  kind: z.enum(["roster", "training"]),
  strict: z.literal("on").optional(),
});

export type UploadOutcome = { ok: true; importId: string } | { ok: false; reason: string; params: Record<string, string | number> };

/** Reads an import upload and starts the import; bad input starts nothing. */
export async function handleImportUpload(request: Request, user: SessionUser, actor: Actor): Promise<UploadOutcome> {
  let form: FormData;
  try {
    form = await unstable_parseMultipartFormData(request, unstable_createMemoryUploadHandler({ maxPartSize: IMPORT_MAX_MB * 1024 * 1024 }));
  } catch (error) {
    if (error instanceof MaxPartSizeExceededError) return { ok: false, reason: "tooLarge", params: { mb: IMPORT_MAX_MB } };
    // Not a multipart form (or a broken one): the client's mistake, not a server error.
    return { ok: false, reason: "unreadableForm", params: {} };
  }
  const fields = UploadFields.safeParse({ kind: form.get("kind"), strict: form.get("strict") ?? undefined });
  const file = form.get("file");
  if (!fields.success || !(file instanceof File) || file.size === 0 || !file.name) return { ok: false, reason: "noFile", params: {} };
  const importId = await startImport(fields.data.kind === "roster" ? "ROSTER" : "TRAINING", {
    fileName: file.name,
    bytes: new Uint8Array(await file.arrayBuffer()),
    strict: fields.data.strict === "on",
    actor,
    createdById: user.id,
  });
  return { ok: true, importId };
}

/** Imports this actor may look at: all of them nationally, their own otherwise. */
export function importsVisibleTo(actor: Actor, userId: string) {
  return isNational(actor) ? {} : { createdById: userId };
}

export async function recentImports(actor: Actor, userId: string) {
  return db.dataImport.findMany({
    where: importsVisibleTo(actor, userId),
    orderBy: { createdAt: "desc" },
    take: 20,
    select: {
      id: true,
      kind: true,
      fileName: true,
      status: true,
      totalRows: true,
      acceptedRows: true,
      rejectedRows: true,
      createdAt: true,
      createdBy: { select: { name: true } },
    },
  });
}
