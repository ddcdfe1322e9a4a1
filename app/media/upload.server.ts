import { access, mkdir, rm, stat } from "node:fs/promises";
import path from "node:path";
import { once } from "node:events";
import { finished } from "node:stream/promises";
import { z } from "zod";
import type { UploadPurpose } from "~/generated/prisma-sqlite/enums";
import { db } from "~/utils/db.server";
import { getEnv } from "~/utils/env.server";
import { checkLessonDuration } from "./lesson-duration";
import { claimLocalAsset, refreshUnusedMarks } from "./gc.server";
import { createDirectUpload } from "./mux.server";
import type { FilePlacement, Uploader as Actor } from "./placement";
import { countPdfPages, PdfError } from "./pdf.server";
import { probeVideo, ProbeError, readHead } from "./probe.server";
import { formatBytes, parseRefusal, probeRefusal, type UploadRefusal } from "./refusals";
import { EXTENSIONS, MIME_TYPES, SNIFF_BYTES, sniffMedia, type SniffedType } from "./sniff";
import {
  commitTempFile,
  mediaPath,
  sha256OfFile,
  storageFailure,
  storageFs,
  type StorageFailure,
} from "./storage.server";
import { logger } from "~/utils/logger.server";

// Uploads in chunks that survive a dropped connection. The browser sends
// PUT requests with `Content-Range: bytes <first>-<last>/<total>` (the
// protocol of Google Cloud Storage resumable uploads, which Mux's UpChunk
// speaks, so the same client code serves local storage and Mux). Each chunk
// is streamed to MEDIA_DIR/tmp/<upload id>; nothing is held in memory. When
// the last byte arrives, the file is checked (type from its bytes, container,
// duration) and either committed under its content hash with its database
// rows in one transaction, or deleted together with the upload row.

const MB = 1024 * 1024;

export const ACCEPTED_TYPES: Record<UploadPurpose, readonly SniffedType[]> = {
  LESSON_VIDEO: ["mp4", "webm"],
  LESSON_SLIDES: ["pdf"],
  COURSE_COVER: ["png", "jpeg", "webp"],
};

export function uploadLimit(purpose: UploadPurpose): number {
  if (purpose === "LESSON_VIDEO") return getEnv().MAX_UPLOAD_BYTES;
  return purpose === "LESSON_SLIDES" ? 100 * MB : 5 * MB;
}

// An upload nobody has touched for a day is abandoned: its bytes are freed.
const STALE_AFTER_MS = 24 * 60 * 60 * 1000;

export const UploadStartSchema = z
  .object({
    purpose: z.enum(["LESSON_VIDEO", "LESSON_SLIDES", "COURSE_COVER"]),
    courseId: z.string().min(1).max(40),
    lessonId: z.string().min(1).max(40).optional(),
    fileName: z.string().trim().min(1).max(255),
    sizeBytes: z.number().int().nonnegative(),
  })
  .strict()
  .refine((input) => input.purpose === "COURSE_COVER" || input.lessonId, { path: ["lessonId"], message: "required" });
export type UploadStart = z.infer<typeof UploadStartSchema>;

export type StartResult =
  | { ok: true; storage: "local"; uploadId: string; url: string; receivedBytes: number; chunkBytes: number }
  | { ok: true; storage: "mux"; uploadId: string; url: string; chunkBytes: number }
  | { ok: false; status: 403 | 404 | 413 | 422 | 502; refusal?: UploadRefusal };

export function uploadTempPath(uploadId: string): string {
  if (!/^[a-z0-9]{20,40}$/.test(uploadId)) throw new Error(`Refusing a malformed upload id: ${uploadId}`);
  return path.join(getEnv().mediaDir, "tmp", `upload-${uploadId}`);
}

export async function startUpload(
  placement: FilePlacement,
  actor: Actor,
  input: UploadStart,
  origin: string,
): Promise<StartResult> {
  const access = await placement.access(actor, input.courseId);
  if (access === null) return { ok: false, status: 404 };
  if (access === "forbidden") return { ok: false, status: 403 };
  if (input.lessonId) {
    const lesson = await db.lesson.findFirst({
      where: { id: input.lessonId, courseId: input.courseId },
      select: { id: true },
    });
    if (!lesson) return { ok: false, status: 404 };
  }
  const limit = uploadLimit(input.purpose);
  if (input.sizeBytes > limit) {
    return {
      ok: false,
      status: 413,
      refusal: { code: "tooLarge", values: { size: formatBytes(input.sizeBytes), limit: formatBytes(limit) } },
    };
  }
  if (input.sizeBytes === 0) return { ok: false, status: 422, refusal: { code: "empty" } };
  await sweepStaleUploads();

  const target = { purpose: input.purpose, courseId: input.courseId, lessonId: input.lessonId ?? null };
  if (input.purpose === "LESSON_VIDEO" && getEnv().videoStorage === "mux") {
    // A new video supersedes the lesson's earlier refused or unfinished Mux uploads.
    await db.mediaUpload.deleteMany({ where: { ...target, storage: "MUX", status: { in: ["REFUSED", "RECEIVING"] } } });
    const row = await db.mediaUpload.create({
      data: { ...target, storage: "MUX", fileName: input.fileName, sizeBytes: input.sizeBytes, createdById: actor.id },
      select: { id: true },
    });
    try {
      const direct = await createDirectUpload(row.id, origin);
      await db.mediaUpload.update({ where: { id: row.id }, data: { muxUploadId: direct.id } });
      return { ok: true, storage: "mux", uploadId: row.id, url: direct.url, chunkBytes: getEnv().UPLOAD_CHUNK_BYTES };
    } catch (error) {
      logger.error({ err: error }, "Mux direct upload could not be created");
      await db.mediaUpload.delete({ where: { id: row.id } });
      return { ok: false, status: 502, refusal: { code: "muxUnavailable" } };
    }
  }

  // The same file picked again for the same lesson continues where it stopped.
  const unfinished = await db.mediaUpload.findFirst({
    where: {
      ...target,
      storage: "LOCAL",
      status: "RECEIVING",
      createdById: actor.id,
      fileName: input.fileName,
      sizeBytes: input.sizeBytes,
    },
    orderBy: { updatedAt: "desc" },
    select: { id: true, receivedBytes: true },
  });
  if (unfinished) {
    const onDisk = (await stat(uploadTempPath(unfinished.id)).catch(() => null))?.size ?? 0;
    const receivedBytes = Math.min(unfinished.receivedBytes, onDisk);
    return {
      ok: true,
      storage: "local",
      uploadId: unfinished.id,
      url: `/api/uploads/${unfinished.id}`,
      receivedBytes,
      chunkBytes: getEnv().UPLOAD_CHUNK_BYTES,
    };
  }
  const row = await db.mediaUpload.create({
    data: { ...target, storage: "LOCAL", fileName: input.fileName, sizeBytes: input.sizeBytes, createdById: actor.id },
    select: { id: true },
  });
  return {
    ok: true,
    storage: "local",
    uploadId: row.id,
    url: `/api/uploads/${row.id}`,
    receivedBytes: 0,
    chunkBytes: getEnv().UPLOAD_CHUNK_BYTES,
  };
}

export type ChunkRange = { first: number; last: number; total: number };

// "bytes 0-1048575/7340032" is a chunk; "bytes */7340032" asks how much has arrived.
// `base` shifts a resumed upload's ranges (the browser sends the rest of the file as a new file).
export function parseContentRange(header: string | null, base = 0): ChunkRange | { query: true; total: number } | null {
  if (!header) return null;
  const query = /^bytes \*\/(\d+)$/.exec(header.trim());
  if (query) return { query: true, total: base + Number(query[1]) };
  const match = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(header.trim());
  if (!match) return null;
  const [first, last, total] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (last < first || last >= total) return null;
  return { first: base + first, last: base + last, total: base + total };
}

export type ChunkOutcome =
  | { kind: "incomplete"; receivedBytes: number }
  | { kind: "conflict"; receivedBytes: number }
  | { kind: "done"; assetId: string; durationSeconds: number | null; pageCount: number | null; finalizeMs: number }
  | { kind: "refused"; refusal: UploadRefusal }
  | { kind: "storageFailed"; failure: StorageFailure }
  | { kind: "tooLong" }
  | { kind: "notFound" }
  | { kind: "forbidden" }
  | { kind: "badRange" };

// One chunk at a time per upload: a retry can overlap the request it
// replaces, and both must not write the same temporary file at once.
const queues = new Map<string, Promise<unknown>>();
function serialised<T>(key: string, work: () => Promise<T>): Promise<T> {
  const previous = queues.get(key) ?? Promise.resolve();
  const next = previous.then(work, work);
  const settled = next.catch(() => {});
  queues.set(key, settled);
  void settled.then(() => {
    if (queues.get(key) === settled) queues.delete(key);
  });
  return next;
}

/**
 * Reads and drops the rest of a request body we will not store, after the
 * answer has gone out: cancelling the body instead would reset the
 * connection, and the client would never see the answer. A client that goes
 * on sending past a generous bound is cut off.
 */
function dropRest(reader: ReadableStreamDefaultReader<Uint8Array>) {
  const limit = Math.max(64 * MB, 2 * getEnv().UPLOAD_CHUNK_BYTES);
  void (async () => {
    let dropped = 0;
    try {
      while (dropped <= limit) {
        const { done, value } = await reader.read();
        if (done) return;
        dropped += value.byteLength;
      }
      await reader.cancel();
    } catch {
      // The client went away: nothing left to drop.
    }
  })();
}

/**
 * Writes one chunk. A chunk may start anywhere up to what has been received
 * (a retried chunk overwrites the same bytes); one that starts past it gets
 * "conflict" and the client resumes from `receivedBytes`. A chunk cut short
 * still counts for the bytes that arrived. A full media folder ends the
 * upload: its partial file and row go at once.
 */
export function receiveChunk(
  placement: FilePlacement,
  actor: Actor,
  uploadId: string,
  range: ChunkRange | { query: true; total: number },
  body: ReadableStream<Uint8Array> | null,
): Promise<ChunkOutcome> {
  return serialised(uploadId, async () => {
    const reader = body?.getReader() ?? null;
    try {
      return await writeChunk(placement, actor, uploadId, range, reader);
    } catch (error) {
      const failure = storageFailure(error);
      if (!failure) throw error;
      logger.error(
        { err: error, uploadId },
        failure === "full" ? "media folder is full" : "media folder is not writable",
      );
      if (reader) dropRest(reader);
      // A full disk needs every byte back now. A read-only folder kept what it
      // had (the row still matches the file): the browser retries a 503, and
      // each retry must get the same answer, and the trainer resumes once it is fixed.
      if (failure === "full") {
        await rm(uploadTempPath(uploadId), { force: true }).catch(() => {});
        await db.mediaUpload.deleteMany({ where: { id: uploadId } });
      }
      return { kind: "storageFailed", failure };
    }
  });
}

async function writeChunk(
  placement: FilePlacement,
  actor: Actor,
  uploadId: string,
  range: ChunkRange | { query: true; total: number },
  reader: ReadableStreamDefaultReader<Uint8Array> | null,
): Promise<ChunkOutcome> {
  const upload = await db.mediaUpload.findUnique({ where: { id: uploadId } });
  if (!upload || upload.storage !== "LOCAL" || upload.status !== "RECEIVING") return { kind: "notFound" };
  if (upload.createdById !== actor.id) return { kind: "forbidden" };
  if (range.total !== upload.sizeBytes) return { kind: "badRange" };
  const received = upload.receivedBytes;
  if ("query" in range)
    return received === upload.sizeBytes
      ? finish(placement, actor, upload.id)
      : { kind: "incomplete", receivedBytes: received };
  if (range.first > received) {
    if (reader) dropRest(reader);
    return { kind: "conflict", receivedBytes: received };
  }

  const temp = uploadTempPath(upload.id);
  const expected = range.last - range.first + 1;
  const fresh = received === 0 && range.first === 0;
  if (fresh) await mkdir(path.dirname(temp), { recursive: true });
  const out = storageFs.createWriteStream(temp, { flags: fresh ? "w" : "r+", start: range.first });
  let writeError: unknown = null;
  out.on("error", (error) => (writeError ??= error));
  let arrived = 0;
  let tooLong = false;
  try {
    while (reader && !writeError) {
      const { done, value } = await reader.read();
      if (done) break;
      if (arrived + value.byteLength > expected) {
        tooLong = true;
        break;
      }
      if (!out.write(value)) await once(out, "drain");
      arrived += value.byteLength;
    }
  } catch {
    // A dropped connection (or a failed write, seen below): keep what arrived, the client resends the rest.
  }
  out.end();
  await finished(out).catch((error: unknown) => (writeError ??= error));
  if (writeError) throw writeError;
  if (tooLong) {
    dropRest(reader!);
    return { kind: "tooLong" };
  }
  const now = Math.max(received, range.first + Math.min(arrived, expected));
  if (now !== received) {
    await db.mediaUpload.update({ where: { id: upload.id }, data: { receivedBytes: now } });
  }

  // Refuse the wrong kind of file as soon as its first bytes are in, not after a gigabyte.
  if (received < SNIFF_BYTES && (now >= SNIFF_BYTES || now === upload.sizeBytes)) {
    const kind = sniffMedia(await readHead(temp));
    if (!kind || !ACCEPTED_TYPES[upload.purpose].includes(kind)) {
      await discard(upload.id);
      return { kind: "refused", refusal: { code: upload.purpose === "LESSON_VIDEO" ? "notVideo" : "wrongType" } };
    }
  }
  if (now < upload.sizeBytes) return { kind: "incomplete", receivedBytes: now };
  return finish(placement, actor, upload.id);
}

async function discard(uploadId: string) {
  await rm(uploadTempPath(uploadId), { force: true });
  await db.mediaUpload.deleteMany({ where: { id: uploadId } });
}

export async function cancelUpload(actor: Actor, uploadId: string): Promise<boolean> {
  return serialised(uploadId, async () => {
    const upload = await db.mediaUpload.findUnique({
      where: { id: uploadId },
      select: { createdById: true, storage: true },
    });
    if (!upload || upload.createdById !== actor.id || upload.storage !== "LOCAL") return false;
    await discard(uploadId);
    return true;
  });
}

export type UploadStatus = NonNullable<Awaited<ReturnType<typeof uploadStatus>>>;

export async function uploadStatus(actor: Actor, uploadId: string) {
  const upload = await db.mediaUpload.findUnique({
    where: { id: uploadId },
    select: { createdById: true, status: true, sizeBytes: true, receivedBytes: true, refusal: true, storage: true },
  });
  if (!upload || upload.createdById !== actor.id) return null;
  return {
    status: upload.status,
    storage: upload.storage,
    sizeBytes: upload.sizeBytes,
    receivedBytes: upload.receivedBytes,
    refusal: parseRefusal(upload.refusal),
  };
}

/** Every byte is in: check the file, then commit it or throw it away. */
async function finish(placement: FilePlacement, actor: Actor, uploadId: string): Promise<ChunkOutcome> {
  const started = performance.now();
  const upload = await db.mediaUpload.findUniqueOrThrow({ where: { id: uploadId } });
  const temp = uploadTempPath(upload.id);
  const refuse = async (refusal: UploadRefusal): Promise<ChunkOutcome> => {
    await discard(upload.id);
    return { kind: "refused", refusal };
  };
  if (((await stat(temp).catch(() => null))?.size ?? -1) !== upload.sizeBytes) return refuse({ code: "sizeMismatch" });
  // Ownership may have changed while the bytes were on their way.
  if ((await placement.access(actor, upload.courseId)) !== "edit") {
    await discard(upload.id);
    return { kind: "forbidden" };
  }
  const type = sniffMedia(await readHead(temp));
  if (!type || !ACCEPTED_TYPES[upload.purpose].includes(type)) {
    return refuse({ code: upload.purpose === "LESSON_VIDEO" ? "notVideo" : "wrongType" });
  }

  let durationSeconds: number | null = null;
  let pageCount: number | null = null;
  if (upload.purpose === "LESSON_VIDEO") {
    try {
      durationSeconds = (await probeVideo(temp)).durationSeconds;
    } catch (error) {
      if (!(error instanceof ProbeError)) throw error;
      return refuse(probeRefusal(error));
    }
    const rule = checkLessonDuration(durationSeconds);
    if (!rule.ok)
      return refuse({ code: rule.reason === "too_long" ? "tooLong" : "tooShort", values: { measured: rule.measured } });
  }
  if (upload.purpose === "LESSON_SLIDES") {
    try {
      pageCount = await countPdfPages(temp);
    } catch (error) {
      if (!(error instanceof PdfError)) throw error;
      return refuse({ code: "pdfUnreadable", values: { detail: error.message } });
    }
  }

  const sha256 = await sha256OfFile(temp);
  const storageKey = `${sha256.slice(0, 2)}/${sha256}.${EXTENSIONS[type]}`;
  const existed = await access(mediaPath(storageKey)).then(
    () => true,
    () => false,
  );
  const stored = await commitTempFile(temp, EXTENSIONS[type], sha256);
  const kind = upload.purpose === "LESSON_VIDEO" ? "VIDEO" : upload.purpose === "LESSON_SLIDES" ? "PDF" : "IMAGE";
  try {
    const assetId = await db.$transaction(async (tx) => {
      const asset =
        (await claimLocalAsset(tx, { sha256, kind })) ??
        (await tx.mediaAsset.create({
          data: {
            kind,
            storage: "LOCAL",
            status: "READY",
            mimeType: MIME_TYPES[type],
            sizeBytes: stored.sizeBytes,
            sha256,
            storageKey: stored.storageKey,
            durationSeconds,
            pageCount,
            originalName: upload.fileName,
            createdById: actor.id,
          },
          select: { id: true },
        }));
      const replaced = await placement.attach(tx, upload, { assetId: asset.id, durationSeconds, pageCount });
      await tx.mediaUpload.delete({ where: { id: upload.id } });
      await refreshUnusedMarks(tx, [...replaced, asset.id]);
      return asset.id;
    });
    return { kind: "done", assetId, durationSeconds, pageCount, finalizeMs: Math.round(performance.now() - started) };
  } catch (error) {
    if (!existed) await rm(mediaPath(storageKey), { force: true });
    await discard(upload.id);
    throw error;
  }
}

/**
 * Frees the bytes of uploads abandoned for a day. A Mux upload the browser
 * never finished has long expired at Mux (its URL lives an hour): its row goes.
 */
export async function sweepStaleUploads(now = new Date()) {
  const stale = await db.mediaUpload.findMany({
    where: { status: "RECEIVING", updatedAt: { lt: new Date(now.getTime() - STALE_AFTER_MS) } },
    select: { id: true },
  });
  for (const { id } of stale) await discard(id);
  return stale.length;
}
