import { copyFile, mkdir, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { Document, isMap, isSeq, stringify } from "yaml";
import { CourseFileSchema, LessonFileSchema } from "~/catalog/course-schema";
import { parseSlideCues } from "~/catalog/slides";
import { parseStoredQuiz } from "~/learning/quiz";
import { mediaPath } from "~/media/storage.server";
import { db } from "~/utils/db.server";

// `courses:export`: writes a course from the database in the folder format
// that `courses:sync` reads (app/teach/course-files.server.ts), so a course made in
// the browser can be reviewed in git and moved to another server. Every file
// is written into a scratch folder first and moved into place at the end:
// a failed export leaves the previous copy as it was.

export class ExportError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join("\n"));
  }
}

const EXTENSION_BY_MIME: Record<string, string> = {
  "video/mp4": "mp4",
  "video/webm": "webm",
  "image/png": "png",
  "image/jpeg": "jpg",
  "image/webp": "webp",
};

const yaml = (value: unknown) => stringify(value, { lineWidth: 0 });

/** lesson.yaml the way people write it: cue times on one line, one line per caption file. */
function lessonYaml(value: unknown): string {
  const doc = new Document(value);
  const cues = doc.get("cues", true);
  if (isSeq(cues)) cues.flow = true;
  const captions = doc.get("captions", true);
  if (isSeq(captions)) for (const item of captions.items) if (isMap(item)) item.flow = true;
  return doc.toString({ lineWidth: 0, flowCollectionPadding: true });
}

export type ExportReport = { dir: string; files: string[] };

export async function exportCourse(code: string, root: string): Promise<ExportReport> {
  const course = await db.course.findUnique({
    where: { code },
    select: {
      code: true,
      language: true,
      title: true,
      titleEn: true,
      summary: true,
      summaryEn: true,
      status: true,
      convention: { select: { code: true } },
      coverAsset: { select: { storage: true, storageKey: true, mimeType: true } },
      lessons: {
        orderBy: { position: "asc" },
        select: {
          slug: true,
          title: true,
          titleEn: true,
          language: true,
          isPreview: true,
          slidesKind: true,
          slidesMarkdown: true,
          slideCues: true,
          transcript: true,
          quiz: true,
          videoAsset: { select: { storage: true, storageKey: true, mimeType: true } },
          slidesAsset: { select: { storageKey: true } },
          captions: { orderBy: { language: "asc" }, select: { language: true, label: true, vtt: true } },
        },
      },
    },
  });
  if (!course) throw new ExportError([`no course has the code "${code}"`]);

  const problems: string[] = [];
  if (course.lessons.length === 0) problems.push("the course has no lessons");
  for (const lesson of course.lessons) {
    const video = lesson.videoAsset;
    if (!video) problems.push(`lesson ${lesson.slug}: it has no video`);
    else if (video.storage !== "LOCAL" || !video.storageKey) {
      problems.push(`lesson ${lesson.slug}: its video is stored on Mux, so this server has no file to write`);
    }
  }
  if (problems.length > 0) throw new ExportError(problems);

  const target = path.join(root, course.convention.code.toLowerCase(), course.code);
  const scratch = path.join(root, `.export-${course.code}-${process.pid}`);
  const written: string[] = [];
  const write = async (relative: string, content: string) => {
    await mkdir(path.dirname(path.join(scratch, relative)), { recursive: true });
    await writeFile(path.join(scratch, relative), content);
    written.push(relative);
  };
  const copy = async (relative: string, storageKey: string) => {
    await mkdir(path.dirname(path.join(scratch, relative)), { recursive: true });
    await copyFile(mediaPath(storageKey), path.join(scratch, relative));
    written.push(relative);
  };

  try {
    await rm(scratch, { recursive: true, force: true });
    let cover: string | undefined;
    if (course.coverAsset?.storage === "LOCAL" && course.coverAsset.storageKey) {
      cover = `cover.${EXTENSION_BY_MIME[course.coverAsset.mimeType] ?? "jpg"}`;
      await copy(cover, course.coverAsset.storageKey);
    }
    // Parsed with the reader's own schema: what is written is what sync accepts.
    const courseFile = CourseFileSchema.parse({
      code: course.code,
      convention: course.convention.code,
      language: course.language,
      title: course.title,
      ...(course.titleEn ? { titleEn: course.titleEn } : {}),
      summary: course.summary,
      ...(course.summaryEn ? { summaryEn: course.summaryEn } : {}),
      status: course.status === "PUBLISHED" ? "published" : "draft",
      ...(cover ? { cover } : {}),
      lessons: course.lessons.map((l) => l.slug),
    });
    await write("course.yaml", yaml(courseFile));

    for (const lesson of course.lessons) {
      const dir = `lessons/${lesson.slug}`;
      const video = `video.${EXTENSION_BY_MIME[lesson.videoAsset!.mimeType] ?? "mp4"}`;
      await copy(`${dir}/${video}`, lesson.videoAsset!.storageKey!);
      let slides: string | undefined;
      if (lesson.slidesKind === "MARKDOWN" && lesson.slidesMarkdown) {
        slides = "slides.md";
        // Written exactly as stored (no added final newline), so a sync reads back the same text.
        await write(`${dir}/${slides}`, lesson.slidesMarkdown);
      } else if (lesson.slidesKind === "PDF" && lesson.slidesAsset?.storageKey) {
        slides = "slides.pdf";
        await copy(`${dir}/${slides}`, lesson.slidesAsset.storageKey);
      }
      const captions = [];
      for (const caption of lesson.captions) {
        const file = `captions.${caption.language}.vtt`;
        await write(`${dir}/${file}`, caption.vtt);
        captions.push({ language: caption.language, label: caption.label, file });
      }
      if (lesson.transcript) await write(`${dir}/transcript.md`, lesson.transcript);
      if (lesson.quiz) {
        const quiz = parseStoredQuiz(lesson.quiz)!;
        await write(`${dir}/quiz.yaml`, yaml(quiz));
      }
      const lessonFile = LessonFileSchema.parse({
        title: lesson.title,
        ...(lesson.titleEn ? { titleEn: lesson.titleEn } : {}),
        language: lesson.language,
        video,
        ...(slides ? { slides } : {}),
        cues: parseSlideCues(lesson.slideCues),
        captions,
        ...(lesson.transcript ? { transcript: "transcript.md" } : {}),
        ...(lesson.quiz ? { quiz: "quiz.yaml" } : {}),
        preview: lesson.isPreview,
      });
      await write(`${dir}/lesson.yaml`, lessonYaml(lessonFile));
    }

    await mkdir(path.dirname(target), { recursive: true });
    await rm(target, { recursive: true, force: true });
    await rename(scratch, target);
    return { dir: target, files: written.sort() };
  } catch (error) {
    await rm(scratch, { recursive: true, force: true });
    throw error;
  }
}
