import { createWriteStream } from "node:fs";
import { mkdir, readdir, rename, rm, stat } from "node:fs/promises";
import path from "node:path";
import * as archiverModule from "archiver";
import { z } from "zod";
import { isoOfDay, parseIsoDay, vietnamDay } from "~/coverage/dates";
import { tableToCsv, type ExportTable } from "~/coverage/export.server";
import { actorOf, COVERAGE_ROLES, scopeOf, type Actor, type Scope } from "~/coverage/scope.server";
import { isLanguage, localized, type Language } from "~/i18n";
import { enqueueJob, parseJson, registerJobHandler, type JobContext } from "~/jobs/queue.server";
import { db } from "~/utils/db.server";
import { getEnv } from "~/utils/env.server";
import { logger } from "~/utils/logger.server";
import { getCertificateDetails } from "./details.server";
import { certificatesT } from "./i18n.server";
import { renderCertificatePdf } from "./pdf.server";

// Coordinators' export: for the people in their scope and a chosen course
// and/or completion period, a ZIP of one PDF per certificate and a CSV of
// names, codes and verification addresses. Rendering thousands of PDFs takes
// minutes, so it is a job ("certificates-export") with progress; the ZIP is
// written to MEDIA_DIR/exports/<job>.zip, downloadable by the coordinator who
// asked (in the scope they had) for a day, then removed by a second job
// ("certificates-export-expiry") or the sweep every export starts with.

// archiver 7 is CommonJS (one function); the installed @types/archiver
// describes version 8's classes. Its Archiver stream type still fits.
type ZipStream = archiverModule.Archiver;
const createZip = ((archiverModule as unknown as { default?: unknown }).default ?? archiverModule) as (
  format: "zip",
  options: { zlib: { level: number } },
) => ZipStream;

/** Certificates in one ZIP; a national export larger than this is split by course or period. */
export const EXPORT_LIMIT = 5000;
/** How long the ZIP stays downloadable. */
export const EXPORT_TTL_MS = 24 * 60 * 60 * 1000;
const DAY_MS = 86_400_000;
const VIETNAM_OFFSET_MS = 7 * 60 * 60 * 1000;
const JOB_ID = /^[A-Za-z0-9_-]{1,64}$/;

const id = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);

/** Which certificates: a course, a period of completion days (Vietnam's calendar), or both. */
export const ExportFilterSchema = z.object({
  courseId: id.optional(),
  fromDay: z.number().int().optional(),
  toDay: z.number().int().optional(),
});
export type ExportFilter = z.infer<typeof ExportFilterSchema>;

const ExportPayload = z.object({ userId: id, filter: ExportFilterSchema, language: z.enum(["vi", "en"]) });
type ExportPayload = z.infer<typeof ExportPayload>;

const ExpiryPayload = z.object({ jobId: id });

const ExportResultSchema = z.object({
  count: z.number(),
  revoked: z.number(),
  bytes: z.number(),
  expiresAt: z.string(),
  scope: z.object({ provinceId: z.string().nullable(), agencyId: z.string().nullable() }),
});
export type ExportResult = z.infer<typeof ExportResultSchema>;

export type ExportFormError = "export.chooseFilter" | "export.badDate" | "export.badPeriod" | "export.unknownCourse";

const ExportForm = z.object({
  course: z.union([z.literal(""), id]).optional(),
  from: z.string().max(10).optional(),
  to: z.string().max(10).optional(),
});

/** The export form's fields as a filter, or the message that says what is wrong. */
export async function parseExportForm(
  fields: Record<string, unknown>,
): Promise<{ ok: true; filter: ExportFilter } | { ok: false; error: ExportFormError }> {
  const parsed = ExportForm.safeParse(fields);
  if (!parsed.success) return { ok: false, error: "export.chooseFilter" };
  const { course, from, to } = parsed.data;
  const fromDay = from ? parseIsoDay(from) : undefined;
  const toDay = to ? parseIsoDay(to) : undefined;
  if (fromDay === null || toDay === null) return { ok: false, error: "export.badDate" };
  if (fromDay !== undefined && toDay !== undefined && fromDay > toDay) return { ok: false, error: "export.badPeriod" };
  if (!course && fromDay === undefined && toDay === undefined) return { ok: false, error: "export.chooseFilter" };
  if (course && !(await db.course.findUnique({ where: { id: course }, select: { id: true } })))
    return { ok: false, error: "export.unknownCourse" };
  return {
    ok: true,
    filter: {
      ...(course ? { courseId: course } : {}),
      ...(fromDay !== undefined ? { fromDay } : {}),
      ...(toDay !== undefined ? { toDay } : {}),
    },
  };
}

/** The instant a Vietnamese calendar day starts. */
function startOfVietnamDay(day: number): Date {
  return new Date(day * DAY_MS - VIETNAM_OFFSET_MS);
}

/**
 * The certificates an actor may export: a coordinator of a province or an
 * agency gets those of the roster people of their unit (an account linked to
 * that person); the national level gets every certificate.
 */
function whereOf(actor: Actor, filter: ExportFilter) {
  const scope = scopeOf(actor);
  const scoped = scope.provinceId !== null || scope.agencyId !== null;
  return {
    ...(filter.courseId ? { courseId: filter.courseId } : {}),
    ...(filter.fromDay !== undefined || filter.toDay !== undefined
      ? {
          completedAt: {
            ...(filter.fromDay !== undefined ? { gte: startOfVietnamDay(filter.fromDay) } : {}),
            ...(filter.toDay !== undefined ? { lt: startOfVietnamDay(filter.toDay + 1) } : {}),
          },
        }
      : {}),
    ...(scoped
      ? {
          user: {
            rosterPerson: {
              is: {
                ...(scope.provinceId !== null ? { provinceId: scope.provinceId } : {}),
                ...(scope.agencyId !== null ? { agencyId: scope.agencyId } : {}),
              },
            },
          },
        }
      : {}),
  };
}

/** How many certificates an export with this filter would hold now. */
/** The course an export is filtered by, for its progress page. */
export function exportCourse(courseId: string) {
  return db.course.findUnique({
    where: { id: courseId },
    select: { title: true, titleEn: true, convention: { select: { code: true } } },
  });
}

export async function countExport(actor: Actor, filter: ExportFilter): Promise<number> {
  return db.courseCompletion.count({ where: whereOf(actor, filter) });
}

export type StartOutcome =
  { ok: true; jobId: string } | { ok: false; reason: "nobody" | "tooMany" | "busy"; count: number };

/** Starts an export as a job; the progress page follows it. One at a time per person: a script cannot fill the queue. */
export async function startCertificateExport(
  actor: Actor,
  userId: string,
  filter: ExportFilter,
  language: Language,
): Promise<StartOutcome> {
  const running = await db.job.count({
    where: { kind: "certificates-export", createdById: userId, status: { in: ["QUEUED", "RUNNING"] } },
  });
  if (running > 0) return { ok: false, reason: "busy", count: 0 };
  const count = await countExport(actor, filter);
  if (count === 0) return { ok: false, reason: "nobody", count };
  if (count > EXPORT_LIMIT) return { ok: false, reason: "tooMany", count };
  const payload: ExportPayload = { userId, filter, language };
  return { ok: true, jobId: await enqueueJob("certificates-export", payload, { createdById: userId, maxAttempts: 2 }) };
}

export function exportsDir(): string {
  return path.join(getEnv().mediaDir, "exports");
}

function zipPath(jobId: string): string {
  return path.join(exportsDir(), `${jobId}.zip`);
}

/** A name a file system, a ZIP tool and a spreadsheet all accept: ASCII, no diacritics. */
export function asciiSlug(text: string, max = 60): string {
  return (
    text
      .normalize("NFD")
      .replace(/[\u0300-\u036f]/g, "")
      .replace(/[đĐ]/g, (c) => (c === "đ" ? "d" : "D"))
      .replace(/[^A-Za-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .toLowerCase()
      .slice(0, max)
      .replace(/-+$/, "") || "x"
  );
}

/** Removes exports whose day is over, and parts left by a process that died. */
export async function sweepExpiredExports(now = new Date()): Promise<number> {
  let removed = 0;
  let names: string[];
  try {
    names = await readdir(exportsDir());
  } catch {
    return 0;
  }
  for (const name of names) {
    if (!/\.zip(\.part)?$/.test(name)) continue;
    const file = path.join(exportsDir(), name);
    const info = await stat(file).catch(() => null);
    if (info && now.getTime() - info.mtimeMs > EXPORT_TTL_MS) {
      await rm(file, { force: true });
      removed++;
    }
  }
  return removed;
}

type RosterFacts = { fullName: string; personnelCode: string; agency: string; province: string };

async function rosterFactsOf(userIds: string[]): Promise<Map<string, RosterFacts>> {
  const people = await db.rosterPerson.findMany({
    where: { userId: { in: userIds } },
    select: {
      userId: true,
      fullName: true,
      personnelCode: true,
      agencyRaw: true,
      agency: { select: { nameVi: true } },
      province: { select: { nameVi: true } },
    },
  });
  return new Map(
    people.map((p) => [
      p.userId!,
      {
        fullName: p.fullName,
        personnelCode: p.personnelCode,
        agency: p.agency?.nameVi ?? p.agencyRaw,
        province: p.province?.nameVi ?? "",
      },
    ]),
  );
}

const CSV_COLUMNS = [
  "name",
  "rosterName",
  "personnelCode",
  "agency",
  "province",
  "course",
  "courseTitle",
  "convention",
  "completedOn",
  "code",
  "verifyUrl",
  "revokedOn",
  "revokedReason",
  "pdf",
] as const;

/** The job: the list is read again at run time, in the requester's scope as it is now. */
export async function runCertificateExport(
  payload: ExportPayload,
  ctx: Pick<JobContext, "job" | "progress" | "signal">,
  now = () => new Date(),
): Promise<ExportResult> {
  await sweepExpiredExports(now());
  const user = await db.user.findUnique({
    where: { id: payload.userId },
    select: { id: true, role: true, scopeProvinceId: true, scopeAgencyId: true, deactivatedAt: true },
  });
  if (!user || user.deactivatedAt || !(COVERAGE_ROLES as readonly string[]).includes(user.role))
    throw new Error("the requester may no longer export certificates");
  const actor = actorOf(user);
  const rows = await db.courseCompletion.findMany({
    where: whereOf(actor, payload.filter),
    orderBy: [{ completedAt: "asc" }, { id: "asc" }],
    select: { certificateCode: true, userId: true },
    take: EXPORT_LIMIT + 1,
  });
  if (rows.length > EXPORT_LIMIT)
    throw new Error(`more than ${EXPORT_LIMIT} certificates: choose a course or a shorter period`);
  const total = rows.length;
  const { t } = await certificatesT(payload.language);

  await mkdir(exportsDir(), { recursive: true });
  const final = zipPath(ctx.job.id);
  const part = `${final}.part`;
  const output = createWriteStream(part);
  const archive = createZip("zip", { zlib: { level: 6 } });
  const failure = new Promise<never>((_, reject) => {
    archive.on("error", reject);
    archive.on("warning", reject);
    output.on("error", reject);
  });
  failure.catch(() => {}); // observed below; never an unhandled rejection
  const closed = new Promise<void>((resolve) => output.on("close", resolve));
  archive.pipe(output);
  /** Waits until archiver has taken the entry, so a few PDFs at most are held in memory. */
  const append = (data: Buffer, name: string, date: Date) =>
    Promise.race([
      new Promise<void>((resolve) => {
        const onEntry = (entry: { name: string }) => {
          if (entry.name !== name) return;
          archive.off("entry", onEntry);
          resolve();
        };
        archive.on("entry", onEntry);
        archive.append(data, { name, date });
      }),
      failure,
    ]);

  try {
    const table: ExportTable = {
      title: "certificates",
      columns: CSV_COLUMNS.map((key) => ({ key, header: t(`export.csv.${key}`) })),
      rows: [],
    };
    let revoked = 0;
    await ctx.progress(0, total, "pdf");
    const BATCH = 50;
    for (let start = 0; start < rows.length; start += BATCH) {
      const batch = rows.slice(start, start + BATCH);
      const roster = await rosterFactsOf([...new Set(batch.map((r) => r.userId))]);
      for (const [offset, row] of batch.entries()) {
        if (ctx.signal.aborted) throw new Error("interrupted");
        const details = await getCertificateDetails(row.certificateCode);
        if (!details) continue; // deleted with its account since the list was read
        const language = isLanguage(details.learner.locale) ? details.learner.locale : "vi";
        const pdf = await renderCertificatePdf(details, language);
        const day = isoOfDay(vietnamDay(details.completedAt));
        const fileName = `${asciiSlug(details.course.code)}/${day}_${asciiSlug(details.learner.name)}_${details.code}.pdf`;
        await append(Buffer.from(pdf), fileName, details.completedAt);
        if (details.revocation) revoked++;
        const person = roster.get(row.userId);
        table.rows.push({
          name: details.learner.name,
          rosterName: person?.fullName ?? "",
          personnelCode: person?.personnelCode ?? "",
          agency: person?.agency ?? "",
          province: person?.province ?? "",
          course: details.course.code,
          courseTitle: localized(payload.language, details.course.title, details.course.titleEn),
          convention: details.convention.code,
          completedOn: day,
          code: details.code,
          verifyUrl: details.verifyUrl,
          revokedOn: details.revocation ? isoOfDay(vietnamDay(details.revocation.at)) : "",
          revokedReason: details.revocation?.reason ?? "",
          pdf: fileName,
        });
        await ctx.progress(start + offset + 1, total, "pdf");
      }
    }
    const at = now();
    await append(tableToCsv(table), "certificates.csv", at);
    await Promise.race([archive.finalize(), failure]);
    await Promise.race([closed, failure]);
    await rename(part, final);
    const { size } = await stat(final);
    const expiresAt = new Date(at.getTime() + EXPORT_TTL_MS);
    await enqueueJob(
      "certificates-export-expiry",
      { jobId: ctx.job.id },
      { runAt: expiresAt, createdById: user.id, maxAttempts: 3 },
    );
    return {
      count: table.rows.length,
      revoked,
      bytes: size,
      expiresAt: expiresAt.toISOString(),
      scope: scopeOf(actor),
    };
  } catch (error) {
    archive.abort();
    output.destroy();
    await rm(part, { force: true });
    throw error;
  }
}

registerJobHandler("certificates-export", {
  payload: ExportPayload,
  run: (payload, ctx) => runCertificateExport(payload, ctx),
  // Rendering is CPU work: one export at a time, whichever process runs it.
  serial: true,
  failed: async (_payload, _error, job) => {
    await rm(`${zipPath(job.id)}.part`, { force: true });
  },
});

registerJobHandler("certificates-export-expiry", {
  payload: ExpiryPayload,
  run: async ({ jobId }) => {
    await rm(zipPath(jobId), { force: true });
    return { removed: jobId };
  },
});

export type ExportJobView = {
  id: string;
  status: "QUEUED" | "RUNNING" | "DONE" | "FAILED";
  progressDone: number;
  progressTotal: number;
  error: string | null;
  createdAt: Date;
  filter: ExportFilter | null;
  result: ExportResult | null;
  /** The ZIP can be downloaded now: done, within its day, by the same person in the same scope. */
  downloadable: boolean;
};

function sameScope(a: Scope, b: Scope): boolean {
  return a.provinceId === b.provinceId && a.agencyId === b.agencyId;
}

function viewOf(
  job: {
    id: string;
    status: ExportJobView["status"];
    progressDone: number;
    progressTotal: number;
    error: string | null;
    createdAt: Date;
    payload: string;
    result: string | null;
  },
  actor: Actor,
  now: Date,
): ExportJobView {
  const payload = ExportPayload.safeParse(parseJson(job.payload));
  const result = ExportResultSchema.safeParse(parseJson(job.result));
  const done = job.status === "DONE" && result.success;
  return {
    id: job.id,
    status: job.status,
    progressDone: job.progressDone,
    progressTotal: job.progressTotal,
    error: job.error,
    createdAt: job.createdAt,
    filter: payload.success ? payload.data.filter : null,
    result: result.success ? result.data : null,
    downloadable: done && new Date(result.data.expiresAt) > now && sameScope(result.data.scope, scopeOf(actor)),
  };
}

const jobSelect = {
  id: true,
  kind: true,
  status: true,
  progressDone: true,
  progressTotal: true,
  error: true,
  createdAt: true,
  payload: true,
  result: true,
  createdById: true,
} as const;

/**
 * An export as its page shows it; null when it is not one this person asked
 * for. Personal data: not even an admin sees another person's export.
 */
export async function certificateExportJob(
  jobId: string,
  viewer: { id: string; actor: Actor },
  now = new Date(),
): Promise<ExportJobView | null> {
  if (!JOB_ID.test(jobId)) return null;
  const job = await db.job.findUnique({ where: { id: jobId }, select: jobSelect });
  if (!job || job.kind !== "certificates-export" || job.createdById !== viewer.id) return null;
  return viewOf(job, viewer.actor, now);
}

/** This person's latest exports, newest first. */
export async function recentCertificateExports(
  viewer: { id: string; actor: Actor },
  now = new Date(),
): Promise<ExportJobView[]> {
  const jobs = await db.job.findMany({
    where: { kind: "certificates-export", createdById: viewer.id },
    orderBy: { createdAt: "desc" },
    take: 10,
    select: jobSelect,
  });
  return jobs.map((job) => viewOf(job, viewer.actor, now));
}

/** The ZIP to send, or null (not theirs, not done, expired, or their scope changed since). */
export async function exportFile(
  jobId: string,
  viewer: { id: string; actor: Actor },
  now = new Date(),
): Promise<{ path: string; size: number; fileName: string; result: ExportResult; filter: ExportFilter | null } | null> {
  const job = await certificateExportJob(jobId, viewer, now);
  if (!job?.downloadable || !job.result) return null;
  const file = zipPath(job.id);
  const info = await stat(file).catch(() => null);
  if (!info) {
    logger.warn({ job: job.id }, "certificate export file missing before it expired");
    return null;
  }
  return {
    path: file,
    size: info.size,
    fileName: `chung-nhan-${isoOfDay(vietnamDay(job.createdAt))}-${job.id}.zip`,
    result: job.result,
    filter: job.filter,
  };
}

/** The courses a coordinator can pick from: those with at least one certificate. */
export async function exportableCourses() {
  return db.course.findMany({
    where: { completions: { some: {} } },
    orderBy: [{ convention: { position: "asc" } }, { code: "asc" }],
    select: { id: true, code: true, title: true, titleEn: true, convention: { select: { code: true } } },
  });
}
