import { access, rm } from "node:fs/promises";
import { checkLessonDuration } from "~/media/lesson-duration";
import { probeMp4 } from "~/media/probe.server";
import { mediaPath, sha256OfFile, storeFileCopy, type StoredFile } from "~/media/storage.server";
import { db } from "~/utils/db.server";
import { CourseFilesError, readCourseTree, type CourseSource, type LessonSource, type SourceError } from "./course-files";
import { validateCues } from "./slides";

export type SyncReport = {
  courses: { code: string; action: "created" | "updated" | "unchanged" }[];
  lessons: { created: number; updated: number; unchanged: number; removed: number };
};

type PreparedLesson = LessonSource & { position: number; durationSeconds: number | null; changed: boolean };

/**
 * Loads courses/ into the database. Idempotent: unchanged files change
 * nothing; an edited lesson updates that lesson in place (its id, and so
 * learners' progress, stays). All files are validated first: if any is
 * malformed, it is reported and nothing is written, neither rows nor media.
 */
export async function syncCourses(root: string, options: { onProgress?: (message: string) => void } = {}): Promise<SyncReport> {
  const log = options.onProgress ?? (() => {});
  const sources = await readCourseTree(root);
  const conventions = new Map(
    (await db.convention.findMany({ select: { id: true, code: true } })).map((c) => [c.code, c.id]),
  );

  const errors: SourceError[] = [];
  const plan: { source: CourseSource; existing: Awaited<ReturnType<typeof findCourse>>; lessons: PreparedLesson[] }[] = [];
  for (const source of sources) {
    if (!conventions.has(source.convention)) {
      errors.push({ path: source.dir, reason: `convention ${source.convention} is not in the database (run npm run db:prepare)` });
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
          durationSeconds = (await probeMp4(lesson.videoPath)).durationSeconds;
        } catch (error) {
          errors.push({ path: lesson.videoPath, reason: (error as Error).message });
          continue;
        }
        const rule = checkLessonDuration(durationSeconds);
        if (!rule.ok) {
          errors.push({ path: lesson.videoPath, reason: `the video is ${rule.measured}; lessons must be 3 to 5 minutes` });
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
  const videoFiles = new Map<string, StoredFile>();
  try {
    for (const { lessons } of plan) {
      for (const lesson of lessons.filter((l) => l.changed)) {
        videoFiles.set(lesson.videoPath, await storeVideo(lesson, created));
      }
    }
    const report: SyncReport = { courses: [], lessons: { created: 0, updated: 0, unchanged: 0, removed: 0 } };
    await db.$transaction(
      async (tx) => {
        for (const { source, existing, lessons } of plan) {
          const courseData = {
            conventionId: conventions.get(source.convention)!,
            language: source.language,
            title: source.title,
            titleEn: source.titleEn ?? null,
            summary: source.summary,
            summaryEn: source.summaryEn ?? null,
            status: source.status === "published" ? ("PUBLISHED" as const) : ("DRAFT" as const),
            sourceHash: source.sourceHash,
          };
          const courseChanged = !existing || existing.sourceHash !== source.sourceHash;
          const course = existing
            ? courseChanged
              ? await tx.course.update({
                  where: { id: existing.id },
                  data: {
                    ...courseData,
                    publishedAt: courseData.status === "PUBLISHED" ? (existing.publishedAt ?? new Date()) : existing.publishedAt,
                  },
                })
              : existing
            : await tx.course.create({
                data: { ...courseData, code: source.code, publishedAt: courseData.status === "PUBLISHED" ? new Date() : null },
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
              await tx.lesson.update({ where: { id: current.id }, data: { position: lesson.position } });
              report.lessons.updated++;
              continue;
            }
            const video = videoFiles.get(lesson.videoPath)!;
            const asset =
              (await tx.mediaAsset.findFirst({
                where: { sha256: video.sha256, storage: "LOCAL", kind: "VIDEO" },
                select: { id: true },
              })) ??
              (await tx.mediaAsset.create({
                data: {
                  kind: "VIDEO",
                  storage: "LOCAL",
                  status: "READY",
                  mimeType: "video/mp4",
                  sizeBytes: video.sizeBytes,
                  sha256: video.sha256,
                  storageKey: video.storageKey,
                  durationSeconds: lesson.durationSeconds,
                  originalName: `${lesson.slug}.mp4`,
                },
                select: { id: true },
              }));
            const data = {
              position: lesson.position,
              title: lesson.title,
              titleEn: lesson.titleEn,
              language: lesson.language,
              videoAssetId: asset.id,
              durationSeconds: lesson.durationSeconds,
              slidesKind: lesson.slidesMarkdown ? ("MARKDOWN" as const) : ("NONE" as const),
              slidesMarkdown: lesson.slidesMarkdown,
              slidesAssetId: null,
              slideCues: JSON.stringify(lesson.cues),
              transcript: lesson.transcript,
              quiz: lesson.quiz ? JSON.stringify(lesson.quiz) : null,
              passMark: lesson.quiz?.passMark ?? null,
              sourceHash: lesson.sourceHash,
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
      lessons: { select: { id: true, slug: true, position: true, sourceHash: true, durationSeconds: true } },
    },
  });
}

/** Copies the video into media storage; records the file if this call created it. */
async function storeVideo(lesson: PreparedLesson, created: string[]): Promise<StoredFile> {
  const sha256 = await sha256OfFile(lesson.videoPath);
  const target = mediaPath(`${sha256.slice(0, 2)}/${sha256}.mp4`);
  const existed = await access(target).then(() => true, () => false);
  const stored = await storeFileCopy(lesson.videoPath, "mp4");
  if (!existed) created.push(target);
  return stored;
}
