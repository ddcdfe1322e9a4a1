import { access, rm } from "node:fs/promises";
import path from "node:path";
import { serializeSlideCues, validateCues } from "~/catalog/slides";
import { serializeQuiz } from "~/learning/quiz";
import { claimLocalAsset, refreshUnusedMarks } from "~/media/gc.server";
import { checkLessonDuration } from "~/media/lesson-duration";
import { probeVideo, readHead } from "~/media/probe.server";
import { EXTENSIONS, MIME_TYPES, sniffMedia } from "~/media/sniff";
import { mediaPath, sha256OfFile, storeFileCopy, type StoredFile } from "~/media/storage.server";
import { db } from "~/utils/db.server";
import {
  CourseFilesError,
  readCourseTree,
  type CourseSource,
  type LessonSource,
  type SourceError,
} from "./course-files.server";

export type SyncReport = {
  courses: { code: string; action: "created" | "updated" | "unchanged" }[];
  lessons: { created: number; updated: number; unchanged: number; removed: number };
};

type PreparedLesson = LessonSource & { position: number; durationSeconds: number | null; changed: boolean };
type StoredMedia = StoredFile & { mimeType: string };

/**
 * Loads courses/ into the database. Idempotent: unchanged files change
 * nothing; an edited lesson updates that lesson in place (its id, and so
 * learners' progress, stays). All files are validated first: if any is
 * malformed, it is reported and nothing is written, neither rows nor media.
 */
export async function syncCourses(
  root: string,
  options: { onProgress?: (message: string) => void } = {},
): Promise<SyncReport> {
  const log = options.onProgress ?? (() => {});
  const sources = await readCourseTree(root);
  const conventions = new Map(
    (await db.convention.findMany({ select: { id: true, code: true } })).map((c) => [c.code, c.id]),
  );

  const errors: SourceError[] = [];
  const plan: { source: CourseSource; existing: Awaited<ReturnType<typeof findCourse>>; lessons: PreparedLesson[] }[] =
    [];
  for (const source of sources) {
    if (!conventions.has(source.convention)) {
      errors.push({
        path: source.dir,
        reason: `convention ${source.convention} is not in the database (run npm run db:prepare)`,
      });
      continue;
    }
    const existing = await findCourse(source.code);
    const known = new Map(existing?.lessons.map((l) => [l.slug, l]) ?? []);
    const lessons: PreparedLesson[] = [];
    for (const [position, lesson] of source.lessons.entries()) {
      const current = known.get(lesson.slug);
      const changed = !current || current.sourceHash !== lesson.sourceHash;
      let durationSeconds = current?.durationSeconds ?? null;
      if (changed) {
        try {
          durationSeconds = (await probeVideo(lesson.videoPath)).durationSeconds;
        } catch (error) {
          errors.push({ path: lesson.videoPath, reason: (error as Error).message });
          continue;
        }
        const rule = checkLessonDuration(durationSeconds);
        if (!rule.ok) {
          errors.push({
            path: lesson.videoPath,
            reason: `the video is ${rule.measured}; lessons must be 3 to 5 minutes`,
          });
        }
        const cueError = validateCues(lesson.cues, lesson.slideCount, durationSeconds);
        if (cueError) errors.push({ path: `${lesson.dir}/lesson.yaml`, reason: `cues: ${cueError}` });
      }
      lessons.push({ ...lesson, position, durationSeconds, changed });
    }
    plan.push({ source, existing, lessons });
  }
  if (errors.length > 0) throw new CourseFilesError(errors);

  // Media first (content-addressed, so an unchanged video is not copied
  // again); files this run created are removed if the database write fails.
  const created: string[] = [];
  const files = new Map<string, StoredMedia>();
  try {
    for (const { source, existing, lessons } of plan) {
      for (const lesson of lessons.filter((l) => l.changed)) {
        files.set(lesson.videoPath, await storeMedia(lesson.videoPath, created));
        if (lesson.slidesPdfPath) files.set(lesson.slidesPdfPath, await storeMedia(lesson.slidesPdfPath, created));
      }
      if (source.coverPath && (!existing || existing.sourceHash !== source.sourceHash)) {
        files.set(source.coverPath, await storeMedia(source.coverPath, created));
      }
    }
    const report: SyncReport = { courses: [], lessons: { created: 0, updated: 0, unchanged: 0, removed: 0 } };
    await db.$transaction(
      async (tx) => {
        for (const { source, existing, lessons } of plan) {
          const courseChanged = !existing || existing.sourceHash !== source.sourceHash;
          const cover = courseChanged && source.coverPath ? files.get(source.coverPath)! : null;
          const courseData = {
            conventionId: conventions.get(source.convention)!,
            language: source.language,
            title: source.title,
            titleEn: source.titleEn ?? null,
            summary: source.summary,
            summaryEn: source.summaryEn ?? null,
            status: source.status === "published" ? ("PUBLISHED" as const) : ("DRAFT" as const),
            sourceHash: source.sourceHash,
            coverAssetId: cover
              ? await findOrCreateAsset(tx, cover, { kind: "IMAGE", originalName: path.basename(source.coverPath!) })
              : null,
          };
          const course = existing
            ? courseChanged
              ? await tx.course.update({
                  where: { id: existing.id },
                  data: {
                    ...courseData,
                    publishedAt:
                      courseData.status === "PUBLISHED" ? (existing.publishedAt ?? new Date()) : existing.publishedAt,
                  },
                })
              : existing
            : await tx.course.create({
                data: {
                  ...courseData,
                  code: source.code,
                  publishedAt: courseData.status === "PUBLISHED" ? new Date() : null,
                },
              });

          const keep = new Set(lessons.map((l) => l.slug));
          const stale = existing?.lessons.filter((l) => !keep.has(l.slug)) ?? [];
          if (stale.length > 0) {
            await tx.lesson.deleteMany({ where: { id: { in: stale.map((l) => l.id) } } });
            report.lessons.removed += stale.length;
          }
          let lessonsChanged = stale.length > 0;
          for (const lesson of lessons) {
            const current = existing?.lessons.find((l) => l.slug === lesson.slug);
            if (!lesson.changed && current?.position === lesson.position) {
              report.lessons.unchanged++;
              continue;
            }
            lessonsChanged = true;
            if (!lesson.changed && current) {
              await tx.lesson.update({
                where: { id: current.id },
                data: { position: lesson.position, isPreview: lessonIsPreview(lesson) },
              });
              report.lessons.updated++;
              continue;
            }
            const video = files.get(lesson.videoPath)!;
            const videoAssetId = await findOrCreateAsset(tx, video, {
              kind: "VIDEO",
              durationSeconds: lesson.durationSeconds,
              originalName: `${lesson.slug}${path.extname(video.storageKey)}`,
            });
            const pdf = lesson.slidesPdfPath ? files.get(lesson.slidesPdfPath)! : null;
            const slidesAssetId = pdf
              ? await findOrCreateAsset(tx, pdf, {
                  kind: "PDF",
                  pageCount: lesson.slideCount,
                  originalName: path.basename(lesson.slidesPdfPath!),
                })
              : null;
            const data = {
              position: lesson.position,
              title: lesson.title,
              titleEn: lesson.titleEn,
              language: lesson.language,
              videoAssetId,
              durationSeconds: lesson.durationSeconds,
              slidesKind: lesson.slidesMarkdown ? ("MARKDOWN" as const) : pdf ? ("PDF" as const) : ("NONE" as const),
              slidesMarkdown: lesson.slidesMarkdown,
              slidesAssetId,
              slideCues: serializeSlideCues(lesson.cues),
              transcript: lesson.transcript,
              quiz: lesson.quiz ? serializeQuiz(lesson.quiz) : null,
              passMark: lesson.quiz?.passMark ?? null,
              sourceHash: lesson.sourceHash,
              isPreview: lessonIsPreview(lesson),
            };
            const saved = current
              ? await tx.lesson.update({ where: { id: current.id }, data })
              : await tx.lesson.create({ data: { ...data, courseId: course.id, slug: lesson.slug } });
            await tx.lessonCaption.deleteMany({ where: { lessonId: saved.id } });
            if (lesson.captions.length > 0) {
              await tx.lessonCaption.createMany({ data: lesson.captions.map((c) => ({ ...c, lessonId: saved.id })) });
            }
            report.lessons[current ? "updated" : "created"]++;
          }
          if (existing) {
            // Media the course's earlier version used may now be used by nothing (media GC).
            await refreshUnusedMarks(tx, [
              existing.coverAssetId,
              ...existing.lessons.flatMap((l) => [l.videoAssetId, l.slidesAssetId]),
            ]);
          }
          const action = !existing ? "created" : courseChanged || lessonsChanged ? "updated" : "unchanged";
          report.courses.push({ code: source.code, action });
          log(`${source.code}: ${action}`);
        }
      },
      { timeout: 120_000, maxWait: 30_000 },
    );
    return report;
  } catch (error) {
    await Promise.all(created.map((file) => rm(file, { force: true })));
    throw error;
  }
}

function findCourse(code: string) {
  return db.course.findUnique({
    where: { code },
    select: {
      id: true,
      sourceHash: true,
      publishedAt: true,
      coverAssetId: true,
      lessons: {
        select: {
          id: true,
          slug: true,
          position: true,
          sourceHash: true,
          durationSeconds: true,
          videoAssetId: true,
          slidesAssetId: true,
        },
      },
    },
  });
}

/** Copies a file into media storage under its content hash; records the file if this call created it. */
async function storeMedia(sourcePath: string, created: string[]): Promise<StoredMedia> {
  const type = sniffMedia(await readHead(sourcePath));
  if (!type)
    throw new CourseFilesError([{ path: sourcePath, reason: "the file's content is not of an accepted type" }]);
  const sha256 = await sha256OfFile(sourcePath);
  const target = mediaPath(`${sha256.slice(0, 2)}/${sha256}.${EXTENSIONS[type]}`);
  const existed = await access(target).then(
    () => true,
    () => false,
  );
  const stored = await storeFileCopy(sourcePath, EXTENSIONS[type]);
  if (!existed) created.push(target);
  return { ...stored, mimeType: MIME_TYPES[type] };
}

type Tx = Parameters<Parameters<typeof db.$transaction>[0]>[0];

/** The same bytes are one asset: an unchanged file keeps its asset id. */
async function findOrCreateAsset(
  tx: Tx,
  file: StoredMedia,
  details: {
    kind: "VIDEO" | "PDF" | "IMAGE";
    durationSeconds?: number | null;
    pageCount?: number;
    originalName: string;
  },
): Promise<string> {
  const found = await claimLocalAsset(tx, { sha256: file.sha256, kind: details.kind });
  if (found) return found.id;
  const asset = await tx.mediaAsset.create({
    data: {
      kind: details.kind,
      storage: "LOCAL",
      status: "READY",
      mimeType: file.mimeType,
      sizeBytes: file.sizeBytes,
      sha256: file.sha256,
      storageKey: file.storageKey,
      durationSeconds: details.durationSeconds ?? null,
      pageCount: details.pageCount ?? null,
      originalName: details.originalName,
    },
    select: { id: true },
  });
  return asset.id;
}

/** What lesson.yaml says, or by default: the course's first lesson is its free preview. */
function lessonIsPreview(lesson: { preview: boolean | null; position: number }): boolean {
  return lesson.preview ?? lesson.position === 0;
}
