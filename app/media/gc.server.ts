import { randomUUID } from "node:crypto";
import { link, lstat, mkdir, readdir, rename, rm } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { recordAudit, SYSTEM_AUDIT_ACTOR, type AuditActor } from "~/audit/audit.server";
import { enqueueJob, registerJobHandler } from "~/jobs/queue.server";
import { db, type DbClient } from "~/utils/db.server";
import { isUniqueViolation } from "~/utils/db-errors";
import { getEnv } from "~/utils/env.server";
import { logger } from "~/utils/logger.server";
import { muxClient } from "./mux.server";
import { STORAGE_KEY } from "./storage.server";

// Media garbage collection (docs/decisions/014-media-gc.md). An asset no
// lesson, slide deck or course cover points at gets `unusedSince`; a grace
// period later it goes, with its file (unless another asset row names the
// same content-addressed file) or its Mux asset. Abandoned uploads, and
// files in MEDIA_DIR that no row knows, go too. Each run first recomputes
// `unusedSince` from the references themselves, so a code path that forgot
// to mark an asset only delays its removal by one run.
//
// Order, for a crash at any point: a local asset's row goes first (a
// conditional delete that re-checks "unused since before the cutoff, and
// unreferenced"), its file after. A crash in between leaves a file no row
// knows, which the unknown-file sweep of the next run removes. Deleting the
// file first would open a window where an upload of the same bytes reuses
// the row of a file that is already gone. A Mux asset is deleted at Mux
// first and its row after: nothing reuses a Mux asset, and a row left by a
// crash is retried (Mux's 404 counts as done), whereas a Mux asset whose row
// is gone could never be found again.
//
// A file is only ever removed when no row knows it AND it was last written
// more than an hour ago: a file being written (an upload's last chunk, a
// courses:sync copy, an import's spool) is fresh, and a file re-committed by
// an upload of the same bytes gets a new modification time.

const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;
/** A file nobody knows may be mid-write for this long. */
export const FRESH_FILE_MS = HOUR_MS;
/** An upload untouched this long is abandoned (as in upload.server.ts). */
export const ABANDONED_UPLOAD_MS = DAY_MS;

/** Where an asset is used: a lesson's video or slides, or a course's cover. */
const referenced = {
  OR: [{ lessonVideos: { some: {} } }, { lessonSlides: { some: {} } }, { courseCovers: { some: {} } }],
};
const unreferenced = { lessonVideos: { none: {} }, lessonSlides: { none: {} }, courseCovers: { none: {} } };

/**
 * Brings `unusedSince` in line with the references: set on assets that lost
 * their last one, cleared on assets used again. Pass `ids` after a write that
 * may have dropped or taken references (in its transaction); without, every
 * asset is checked. Returns how many were marked and cleared.
 */
export async function refreshUnusedMarks(client: DbClient = db, ids?: (string | null | undefined)[], now = new Date()) {
  const only = ids ? { id: { in: ids.filter((id): id is string => typeof id === "string") } } : {};
  if (ids && only.id!.in.length === 0) return { marked: 0, cleared: 0 };
  const marked = await client.mediaAsset.updateMany({
    where: { ...only, unusedSince: null, ...unreferenced },
    data: { unusedSince: now },
  });
  const cleared = await client.mediaAsset.updateMany({
    where: { ...only, unusedSince: { not: null }, ...referenced },
    data: { unusedSince: null },
  });
  return { marked: marked.count, cleared: cleared.count };
}

/**
 * Finds a local asset with these bytes to use again, inside the transaction
 * that will point at it. Clearing `unusedSince` first writes the row, so a
 * collector deleting it at the same moment either goes first (and the row is
 * not found: the caller creates a new one) or finds it in use and leaves it.
 */
export async function claimLocalAsset(tx: DbClient, where: { sha256: string; kind: "VIDEO" | "PDF" | "IMAGE" }) {
  const match = { sha256: where.sha256, kind: where.kind, storage: "LOCAL" as const };
  await tx.mediaAsset.updateMany({ where: { ...match, unusedSince: { not: null } }, data: { unusedSince: null } });
  return tx.mediaAsset.findFirst({ where: match, select: { id: true }, orderBy: { createdAt: "asc" } });
}

export type Tally = { count: number; bytes: number };

export type MediaGcReport = {
  dryRun: boolean;
  graceDays: number;
  /** Assets found unused (or used again) by this run's check of references. */
  marked: number;
  cleared: number;
  /** Assets removed (rows), with the bytes of their files that went. */
  assets: Tally;
  muxAssets: number;
  /** Abandoned uploads and their partial files. */
  uploads: Tally;
  /** Files no row knows: content files, temporary files, import spools. */
  unknownFiles: Tally;
  /** Entries at the top of MEDIA_DIR that are not ours: reported, never touched. */
  foreign: string[];
  /** Removals that failed (logged); the next run tries again. */
  errors: number;
};

export type MediaGcOptions = { now?: Date; graceDays?: number; dryRun?: boolean; log?: (line: string) => void };

type Ctx = { now: Date; dryRun: boolean; report: MediaGcReport; log: (line: string) => void };

/** One pass of the collector. Safe to run from several processes at once. */
export async function runMediaGc(options: MediaGcOptions = {}): Promise<MediaGcReport> {
  const now = options.now ?? new Date();
  const graceDays = options.graceDays ?? getEnv().MEDIA_GC_GRACE_DAYS;
  const dryRun = options.dryRun ?? false;
  const report: MediaGcReport = {
    dryRun,
    graceDays,
    marked: 0,
    cleared: 0,
    assets: { count: 0, bytes: 0 },
    muxAssets: 0,
    uploads: { count: 0, bytes: 0 },
    unknownFiles: { count: 0, bytes: 0 },
    foreign: [],
    errors: 0,
  };
  const ctx: Ctx = { now, dryRun, report, log: options.log ?? (() => {}) };

  if (dryRun) {
    report.marked = await db.mediaAsset.count({ where: { unusedSince: null, ...unreferenced } });
    report.cleared = await db.mediaAsset.count({ where: { unusedSince: { not: null }, ...referenced } });
  } else {
    Object.assign(report, await refreshUnusedMarks(db, undefined, now));
  }
  await removeUnusedAssets(ctx, new Date(now.getTime() - graceDays * DAY_MS));
  await removeAbandonedUploads(ctx);
  await sweepFiles(ctx);
  return report;
}

async function removeUnusedAssets(ctx: Ctx, cutoff: Date) {
  // In a dry run nothing was marked, so an asset unreferenced but not yet
  // marked counts as marked now: not old enough to go.
  const due = { unusedSince: { lt: cutoff }, ...unreferenced };
  const candidates = await db.mediaAsset.findMany({
    where: due,
    select: { id: true, storage: true, storageKey: true, muxAssetId: true, sizeBytes: true },
    orderBy: { unusedSince: "asc" },
  });
  for (const asset of candidates) {
    if (asset.storage === "MUX") {
      if (ctx.dryRun) {
        ctx.log(`would remove Mux asset ${asset.muxAssetId ?? "(none)"} (asset ${asset.id})`);
        tally(ctx.report.assets, asset.sizeBytes);
        ctx.report.muxAssets++;
        continue;
      }
      if (asset.muxAssetId && !(await deleteAtMux(asset.muxAssetId))) {
        ctx.report.errors++;
        continue;
      }
      const { count } = await db.mediaAsset.deleteMany({ where: { id: asset.id, ...due } });
      if (count === 0) continue;
      ctx.log(`removed Mux asset ${asset.muxAssetId ?? "(none)"} (asset ${asset.id})`);
      tally(ctx.report.assets, asset.sizeBytes);
      ctx.report.muxAssets++;
      continue;
    }
    if (ctx.dryRun) {
      const shared = asset.storageKey
        ? await db.mediaAsset.count({ where: { storageKey: asset.storageKey, id: { not: asset.id } } })
        : 0;
      ctx.log(`would remove asset ${asset.id}${asset.storageKey && shared === 0 ? ` and ${asset.storageKey}` : ""}`);
      tally(ctx.report.assets, shared === 0 ? asset.sizeBytes : 0);
      continue;
    }
    const { count } = await db.mediaAsset.deleteMany({ where: { id: asset.id, ...due } });
    if (count === 0) continue; // used again, or another collector was first
    const freed = asset.storageKey ? await removeContentFileIfUnknown(ctx, asset.storageKey) : null;
    ctx.log(`removed asset ${asset.id}${freed !== null ? ` and ${asset.storageKey}` : ""}`);
    tally(ctx.report.assets, freed ?? 0);
  }
}

/** Deletes an asset at Mux; true when it is gone (already gone counts). */
async function deleteAtMux(muxAssetId: string): Promise<boolean> {
  if (getEnv().videoStorage !== "mux") {
    logger.warn({ muxAssetId }, "media gc: a Mux asset is due but Mux is not configured; its row stays");
    return false;
  }
  try {
    await (await muxClient()).video.assets.delete(muxAssetId);
    return true;
  } catch (error) {
    if ((error as { status?: unknown } | null)?.status === 404) return true;
    logger.error({ err: error, muxAssetId }, "media gc: could not delete a Mux asset");
    return false;
  }
}

/** Removes a content file once no row names it and it is not fresh; its size, or null when it stays. */
async function removeContentFileIfUnknown(ctx: Ctx, storageKey: string): Promise<number | null> {
  if (!STORAGE_KEY.test(storageKey)) return null;
  if ((await db.mediaAsset.count({ where: { storageKey } })) > 0) return null;
  return removeIfOld(ctx, path.join(getEnv().mediaDir, storageKey), true);
}

/** Removes a file last written before the fresh window; its size, or null when it stays. */
async function removeIfOld(ctx: Ctx, file: string, contentAddressed = false): Promise<number | null> {
  const info = await lstat(file).catch(() => null);
  if (!info || info.isDirectory() || isFresh(ctx, info.mtimeMs)) return null;
  if (ctx.dryRun) return info.size;
  try {
    if (contentAddressed) return await removeContentFile(ctx, file);
    await rm(file, { force: true });
    return info.size;
  } catch (error) {
    logger.error({ err: error, file }, "media gc: could not remove a file");
    ctx.report.errors++;
    return null;
  }
}

function isFresh(ctx: Ctx, mtimeMs: number) {
  return mtimeMs > ctx.now.getTime() - FRESH_FILE_MS;
}

// Tests replace `rename` to play an upload committing the same path at the worst moment.
export const gcFs = { rename };

/**
 * An upload of the same bytes may commit this very path between our check
 * and the removal (a rename over it, with a new mtime, then its row). So the
 * file is first moved aside, which is atomic: a commit after the move lands
 * beside it untouched; a commit just before it is seen as a fresh file, and
 * put back unless a newer one is already there.
 */
async function removeContentFile(ctx: Ctx, file: string): Promise<number | null> {
  const aside = path.join(getEnv().mediaDir, "tmp", `gc-${randomUUID()}`);
  await mkdir(path.dirname(aside), { recursive: true });
  try {
    await gcFs.rename(file, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null; // another collector was first
    throw error;
  }
  const moved = await lstat(aside);
  if (isFresh(ctx, moved.mtimeMs)) {
    await link(aside, file).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== "EEXIST") throw error;
    });
    await rm(aside, { force: true });
    return null;
  }
  await rm(aside, { force: true });
  return moved.size;
}

function tally(t: Tally, bytes: number) {
  t.count++;
  t.bytes += bytes;
}

/**
 * Uploads nobody has touched for a day. The row goes first (conditionally:
 * a chunk that arrived meanwhile keeps it), then the partial file; a file a
 * crash left behind is an unknown temporary file for the sweep.
 */
async function removeAbandonedUploads(ctx: Ctx) {
  const before = new Date(ctx.now.getTime() - ABANDONED_UPLOAD_MS);
  const stale = { status: { in: ["RECEIVING" as const, "PROCESSING" as const] }, updatedAt: { lt: before } };
  const uploads = await db.mediaUpload.findMany({
    where: stale,
    select: { id: true, storage: true, muxAssetId: true },
  });
  for (const upload of uploads) {
    const partial = upload.storage === "LOCAL" ? tmpUploadFile(upload.id) : null;
    const size = partial ? ((await lstat(partial).catch(() => null))?.size ?? 0) : 0;
    if (ctx.dryRun) {
      ctx.log(`would remove abandoned upload ${upload.id}`);
      tally(ctx.report.uploads, size);
      continue;
    }
    // A Mux upload stuck in processing may still become an asset nobody would
    // ever point at: it goes at Mux before its row, which is how it is found.
    if (upload.muxAssetId && !(await deleteAtMux(upload.muxAssetId))) {
      ctx.report.errors++;
      continue;
    }
    const { count } = await db.mediaUpload.deleteMany({ where: { id: upload.id, ...stale } });
    if (count === 0) continue;
    if (partial) await rm(partial, { force: true }).catch(() => {});
    ctx.log(`removed abandoned upload ${upload.id}`);
    tally(ctx.report.uploads, size);
  }
}

function tmpUploadFile(uploadId: string): string {
  return path.join(getEnv().mediaDir, "tmp", `upload-${uploadId}`);
}

const HASH_DIR = /^[0-9a-f]{2}$/;
const UPLOAD_FILE = /^upload-([a-z0-9]{20,40})(\.part)?$/;

/** Walks MEDIA_DIR: content folders, tmp/ and imports/. Anything else at the top is not ours to judge. */
async function sweepFiles(ctx: Ctx) {
  const root = getEnv().mediaDir;
  const top = await readdir(root, { withFileTypes: true }).catch(() => []);
  for (const entry of top) {
    if (entry.isDirectory() && HASH_DIR.test(entry.name)) await sweepContentDir(ctx, entry.name);
    else if (entry.isDirectory() && entry.name === "tmp") await sweepTmp(ctx);
    else if (entry.isDirectory() && entry.name === "imports") await sweepImports(ctx);
    else ctx.report.foreign.push(entry.name);
  }
  if (ctx.report.foreign.length > 0)
    logger.warn(
      { entries: ctx.report.foreign.slice(0, 20) },
      "media gc: MEDIA_DIR holds entries it does not manage; left alone",
    );
}

async function files(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  // Symbolic links are removed as links, never followed.
  return entries.filter((e) => !e.isDirectory()).map((e) => e.name);
}

async function sweepUnknown(ctx: Ctx, file: string, contentAddressed = false) {
  const size = await removeIfOld(ctx, file, contentAddressed);
  if (size === null) return;
  ctx.log(`${ctx.dryRun ? "would remove" : "removed"} unknown file ${path.relative(getEnv().mediaDir, file)}`);
  tally(ctx.report.unknownFiles, size);
}

async function sweepContentDir(ctx: Ctx, dirName: string) {
  const dir = path.join(getEnv().mediaDir, dirName);
  const names = await files(dir);
  if (names.length === 0) return;
  const keys = names.map((name) => `${dirName}/${name}`);
  const known = new Set(
    (
      await db.mediaAsset.findMany({
        where: { storageKey: { in: keys.filter((k) => STORAGE_KEY.test(k)) } },
        select: { storageKey: true },
      })
    ).map((a) => a.storageKey),
  );
  for (const key of keys) {
    if (!known.has(key)) await sweepUnknown(ctx, path.join(dir, path.basename(key)), true);
  }
}

async function sweepTmp(ctx: Ctx) {
  const dir = path.join(getEnv().mediaDir, "tmp");
  const names = await files(dir);
  const ids = names.map((n) => UPLOAD_FILE.exec(n)?.[1]).filter((id): id is string => Boolean(id));
  const live = new Set(
    (await db.mediaUpload.findMany({ where: { id: { in: ids } }, select: { id: true } })).map((u) => u.id),
  );
  for (const name of names) {
    const id = UPLOAD_FILE.exec(name)?.[1];
    if (id && live.has(id)) continue;
    await sweepUnknown(ctx, path.join(dir, name));
  }
}

/**
 * MEDIA_DIR/imports/<job id>[.ext] is an import's file: kept while its job is
 * queued or running. upload-*.part files are request spools: an hour old, they
 * belong to no request any more.
 */
async function sweepImports(ctx: Ctx) {
  const dir = path.join(getEnv().mediaDir, "imports");
  const names = await files(dir);
  const jobIds = names.filter((n) => !UPLOAD_FILE.test(n) && !n.startsWith("upload-")).map(importJobId);
  const active = new Set(
    (
      await db.job.findMany({
        where: { id: { in: jobIds }, status: { in: ["QUEUED", "RUNNING"] } },
        select: { id: true },
      })
    ).map((j) => j.id),
  );
  for (const name of names) {
    if (!name.startsWith("upload-") && active.has(importJobId(name))) continue;
    await sweepUnknown(ctx, path.join(dir, name));
  }
}

function importJobId(fileName: string): string {
  return fileName.split(".")[0] ?? fileName;
}

// ------------------------------------------------------------ the hourly job

const MediaGcPayload = z.object({}).strict();

/** One job per UTC hour, whoever enqueues it: the unique job id makes a second enqueue a no-op. */
export function mediaGcJobId(now: Date): string {
  const iso = now.toISOString(); // 2026-12-01T03:00:00.000Z
  return `media-gc-${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}${iso.slice(11, 13)}`;
}

/** Enqueues this hour's collection unless some process already did; true when this call did. */
export async function scheduleMediaGc(now = new Date()): Promise<boolean> {
  const id = mediaGcJobId(now);
  // Every runner asks every ten minutes: look first, so the usual answer is not a
  // refused INSERT, which PostgreSQL writes to its log as an ERROR each time.
  // The unique id still settles two processes that ask at the same moment.
  if (await db.job.findUnique({ where: { id }, select: { id: true } })) return false;
  try {
    await enqueueJob("media-gc", {}, { id, maxAttempts: 2 });
    return true;
  } catch (error) {
    if (isUniqueViolation(error)) return false;
    throw error;
  }
}

let timer: NodeJS.Timeout | undefined;

/** Checks every ten minutes that this hour's collection is queued (called where the job runner starts). */
export function startMediaGcSchedule() {
  const tick = () =>
    void scheduleMediaGc().catch((error: unknown) => logger.error({ err: error }, "media gc could not be scheduled"));
  tick();
  timer ??= setInterval(tick, 10 * 60 * 1000);
  timer.unref();
}

export function stopMediaGcSchedule() {
  clearInterval(timer);
  timer = undefined;
}

/** Runs the collector for real and records it in the audit trail. */
export async function collectMedia(
  actor: AuditActor,
  options: Omit<MediaGcOptions, "dryRun"> = {},
): Promise<MediaGcReport> {
  const report = await runMediaGc({ ...options, dryRun: false });
  await recordAudit({ actor, action: "media.gc", details: auditDetails(report) });
  return report;
}

export function auditDetails(report: MediaGcReport) {
  return {
    graceDays: report.graceDays,
    marked: report.marked,
    cleared: report.cleared,
    assets: report.assets.count,
    assetBytes: report.assets.bytes,
    muxAssets: report.muxAssets,
    uploads: report.uploads.count,
    uploadBytes: report.uploads.bytes,
    unknownFiles: report.unknownFiles.count,
    unknownBytes: report.unknownFiles.bytes,
    errors: report.errors,
  };
}

registerJobHandler("media-gc", {
  payload: MediaGcPayload,
  serial: true,
  async run() {
    const report = await collectMedia(SYSTEM_AUDIT_ACTOR);
    if (report.assets.count + report.uploads.count + report.unknownFiles.count > 0)
      logger.info(auditDetails(report), "media gc");
    return auditDetails(report);
  },
});
