import { randomBytes } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdir, rm } from "node:fs/promises";
import path from "node:path";
import { once } from "node:events";
import { finished } from "node:stream/promises";
import { unstable_parseMultipartFormData, type UploadHandler } from "@remix-run/node";
import { z } from "zod";
import type { SessionUser } from "~/auth/auth.server";
import { db } from "~/utils/db.server";
import { getEnv } from "~/utils/env.server";
import { startImport } from "./import-jobs.server";
import { isNational, type Actor } from "./scope.server";

// A roster of 200,000 rows is about 25 MB as CSV; the limit leaves room for
// XLSX overhead. The upload is written to disk as it arrives, never held in memory.
export const IMPORT_MAX_MB = 64;
// kind, strict: a few bytes each, and no more than a handful of them.
const MAX_FIELD_BYTES = 1_024;
const MAX_FIELDS = 10;

/**
 * Where an upload is written while it arrives: MEDIA_DIR/imports/upload-<random>.part
 * (the media garbage collector knows the name). It becomes the import job's
 * file when the import starts, and is removed whenever it does not.
 */
export function importUploadsDir(): string {
  return path.join(getEnv().mediaDir, "imports");
}

class UploadRefused extends Error {
  constructor(readonly reason: "tooLarge" | "unreadableForm") {
    super(reason);
  }
}

type Spooled = { path: string; name: string; size: number };

/** Reads the form, writing its one file part to disk while it arrives. On any failure nothing stays on disk. */
async function spoolForm(request: Request): Promise<{ form: FormData; file: Spooled | null }> {
  const maxBytes = IMPORT_MAX_MB * 1024 * 1024;
  let file: Spooled | null = null;
  let spooling: string | null = null;
  let fields = 0;
  const handler: UploadHandler = async ({ name, filename, data }) => {
    if (!filename) {
      if (++fields > MAX_FIELDS) throw new UploadRefused("unreadableForm");
      let text = "";
      for await (const chunk of data) {
        text += Buffer.from(chunk).toString("utf8");
        if (text.length > MAX_FIELD_BYTES) throw new UploadRefused("unreadableForm");
      }
      return text;
    }
    // One file, in the field the form names; a second one is not our form.
    if (name !== "file" || spooling) throw new UploadRefused("unreadableForm");
    const dir = importUploadsDir();
    await mkdir(dir, { recursive: true });
    spooling = path.join(dir, `upload-${randomBytes(12).toString("hex")}.part`);
    const out = createWriteStream(spooling, { flags: "wx" });
    let size = 0;
    try {
      for await (const chunk of data) {
        size += chunk.byteLength;
        if (size > maxBytes) throw new UploadRefused("tooLarge");
        if (!out.write(chunk)) await once(out, "drain");
      }
      out.end();
      await finished(out);
    } catch (error) {
      out.destroy();
      await rm(spooling, { force: true });
      throw error;
    }
    file = { path: spooling, name: filename, size };
    return undefined;
  };
  try {
    const form = await unstable_parseMultipartFormData(request, handler);
    return { form, file };
  } catch (error) {
    if (spooling) await rm(spooling, { force: true });
    throw error;
  }
}

const UploadFields = z.object({
  kind: z.enum(["roster", "training"]),
  strict: z.literal("on").optional(),
});

export type UploadOutcome =
  { ok: true; importId: string } | { ok: false; reason: string; params: Record<string, string | number> };

/** Reads an import upload and starts the import; bad input starts nothing. */
export async function handleImportUpload(request: Request, user: SessionUser, actor: Actor): Promise<UploadOutcome> {
  let spooled: Awaited<ReturnType<typeof spoolForm>>;
  try {
    spooled = await spoolForm(request);
  } catch (error) {
    if (error instanceof UploadRefused && error.reason === "tooLarge")
      return { ok: false, reason: "tooLarge", params: { mb: IMPORT_MAX_MB } };
    // Not a multipart form (or a broken one, or one cut off): the client's mistake, not a server error.
    return { ok: false, reason: "unreadableForm", params: {} };
  }
  const { form, file } = spooled;
  try {
    const fields = UploadFields.safeParse({ kind: form.get("kind"), strict: form.get("strict") ?? undefined });
    if (!fields.success || !file || file.size === 0) return { ok: false, reason: "noFile", params: {} };
    const importId = await startImport(fields.data.kind === "roster" ? "ROSTER" : "TRAINING", {
      fileName: file.name,
      path: file.path,
      strict: fields.data.strict === "on",
      actor,
      createdById: user.id,
    });
    return { ok: true, importId };
  } finally {
    // The import moved the file to its job; otherwise it goes now.
    if (file) await rm(file.path, { force: true });
  }
}

/** Imports this actor may look at: all of them nationally, their own otherwise. */
export function importsVisibleTo(actor: Actor, userId: string) {
  return isNational(actor) ? {} : { createdById: userId };
}

/** One import, if this actor may look at it; null when it does not exist or is someone else's. */
export function visibleImport(actor: Actor, userId: string, importId: string) {
  return db.dataImport.findFirst({ where: { id: importId, ...importsVisibleTo(actor, userId) } });
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
