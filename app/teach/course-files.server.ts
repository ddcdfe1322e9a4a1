import { createHash } from "node:crypto";
import { readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { checkWebVtt } from "~/catalog/captions";
import { resources } from "~/i18n";
import { CourseFileSchema, LessonFileSchema } from "~/catalog/course-schema";
import { cuesFitDeck } from "~/catalog/slide-cues";
import { remoteImages, splitSlides } from "~/catalog/slides";
import { QuizSchema, type Quiz } from "~/learning/quiz";
import { countPdfPages, PdfError } from "~/media/pdf.server";

// Course content as files (see courses/README.md):
//   courses/<convention>/<course-code>/course.yaml
//   courses/<convention>/<course-code>/lessons/<slug>/lesson.yaml (+ slides, captions, transcript, quiz, video)
// Slides are Markdown (one slide per `---`) or a PDF (one slide per page);
// the video is MP4 or WebM; a course may name a cover image.
// Everything is read and validated before anything is written anywhere.

export type LessonSource = {
  slug: string;
  dir: string;
  title: string;
  titleEn: string | null;
  language: string;
  videoPath: string;
  slidesMarkdown: string | null;
  /** A PDF deck instead of Markdown: one slide per page. */
  slidesPdfPath: string | null;
  slideCount: number;
  cues: number[];
  captions: { language: string; label: string; vtt: string }[];
  transcript: string | null;
  quiz: Quiz | null;
  /** What lesson.yaml says of `preview`; null: the default (the course's first lesson). */
  preview: boolean | null;
  /** Hash of every file of the lesson, the video's bytes included. */
  sourceHash: string;
};

export type CourseSource = Omit<z.infer<typeof CourseFileSchema>, "lessons" | "cover"> & {
  dir: string;
  coverPath: string | null;
  sourceHash: string;
  lessons: LessonSource[];
};

export type SourceError = { path: string; reason: string };

export class CourseFilesError extends Error {
  constructor(readonly errors: SourceError[]) {
    super(errors.map((e) => `${e.path}: ${e.reason}`).join("\n"));
  }
}

function zodReason(error: z.ZodError): string {
  return error.issues.map((i) => (i.path.length ? `${i.path.join(".")}: ${i.message}` : i.message)).join("; ");
}

async function readText(file: string, errors: SourceError[]): Promise<string | null> {
  try {
    return (await readFile(file, "utf8")).replace(/^\uFEFF/, "");
  } catch {
    errors.push({ path: file, reason: "file is missing or unreadable" });
    return null;
  }
}

async function readYaml<T>(file: string, schema: z.ZodType<T>, errors: SourceError[]): Promise<T | null> {
  const text = await readText(file, errors);
  if (text === null) return null;
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (error) {
    errors.push({ path: file, reason: `not valid YAML: ${(error as Error).message.split("\n")[0]}` });
    return null;
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    errors.push({ path: file, reason: zodReason(parsed.error) });
    return null;
  }
  return parsed.data;
}

async function hashFile(file: string): Promise<string> {
  return createHash("sha256")
    .update(await readFile(file))
    .digest("hex");
}

async function isDirectory(p: string) {
  return (await stat(p).catch(() => null))?.isDirectory() ?? false;
}

/** Finds every course folder: <root>/<convention>/<course>/course.yaml. */
export async function findCourseDirs(root: string): Promise<string[]> {
  const dirs: string[] = [];
  // A fresh install may have no courses/ folder: nothing to load, not an error.
  if (!(await isDirectory(root))) return dirs;
  for (const convention of (await readdir(root)).sort()) {
    const conventionDir = path.join(root, convention);
    if (!(await isDirectory(conventionDir))) continue;
    for (const course of (await readdir(conventionDir)).sort()) {
      const courseDir = path.join(conventionDir, course);
      if ((await stat(path.join(courseDir, "course.yaml")).catch(() => null))?.isFile()) dirs.push(courseDir);
    }
  }
  return dirs;
}

async function readLesson(dir: string, slugValue: string, errors: SourceError[]): Promise<LessonSource | null> {
  const before = errors.length;
  const metaPath = path.join(dir, "lesson.yaml");
  const meta = await readYaml(metaPath, LessonFileSchema, errors);
  if (!meta) return null;
  const hashes = [await hashFile(metaPath)];

  const videoPath = path.join(dir, meta.video);
  if (!(await stat(videoPath).catch(() => null))?.isFile()) {
    errors.push({ path: videoPath, reason: "video file is missing (run npm run courses:videos)" });
  } else {
    hashes.push(await hashFile(videoPath));
  }

  let slidesMarkdown: string | null = null;
  let slidesPdfPath: string | null = null;
  let slideCount = 0;
  if (meta.slides?.toLowerCase().endsWith(".pdf")) {
    const slidesPath = path.join(dir, meta.slides);
    try {
      slideCount = await countPdfPages(slidesPath);
      slidesPdfPath = slidesPath;
      hashes.push(await hashFile(slidesPath));
    } catch (error) {
      const reason = error instanceof PdfError ? error.message : "file is missing or unreadable";
      errors.push({ path: slidesPath, reason });
    }
  } else if (meta.slides) {
    const slidesPath = path.join(dir, meta.slides);
    slidesMarkdown = await readText(slidesPath, errors);
    if (slidesMarkdown !== null) {
      slideCount = splitSlides(slidesMarkdown).length;
      if (slideCount === 0) errors.push({ path: slidesPath, reason: "the deck has no slides" });
      const images = remoteImages(slidesMarkdown);
      if (images.length > 0) {
        errors.push({
          path: slidesPath,
          reason: `images from other servers are not shown to learners; embed the picture as a data: URL or use a path on the platform (/...): ${images.join(", ")}`,
        });
      }
      hashes.push(createHash("sha256").update(slidesMarkdown).digest("hex"));
    }
  }
  if (!cuesFitDeck(meta.cues, slideCount)) {
    errors.push({ path: metaPath, reason: `cues: there are ${slideCount} slides but ${meta.cues.length} cue times` });
  }

  const captions: LessonSource["captions"] = [];
  for (const caption of meta.captions) {
    const captionPath = path.join(dir, caption.file);
    const vtt = await readText(captionPath, errors);
    if (vtt === null) continue;
    const check = checkWebVtt(vtt);
    if (!check.ok) {
      errors.push({
        path: captionPath + (check.line ? `:${check.line}` : ""),
        reason: `invalid WebVTT: ${resources.en.teach.captions.problem[check.problem]}`,
      });
      continue;
    }
    captions.push({ language: caption.language, label: caption.label, vtt });
    hashes.push(createHash("sha256").update(vtt).digest("hex"));
  }
  if (new Set(meta.captions.map((c) => c.language)).size !== meta.captions.length) {
    errors.push({ path: metaPath, reason: "captions: one file per language" });
  }

  let transcript: string | null = null;
  if (meta.transcript) {
    transcript = await readText(path.join(dir, meta.transcript), errors);
    if (transcript !== null) hashes.push(createHash("sha256").update(transcript).digest("hex"));
  }

  let quiz: Quiz | null = null;
  if (meta.quiz) {
    const quizPath = path.join(dir, meta.quiz);
    quiz = await readYaml(quizPath, QuizSchema, errors);
    if (quiz) hashes.push(await hashFile(quizPath));
  }

  if (errors.length > before) return null;
  return {
    slug: slugValue,
    dir,
    title: meta.title,
    titleEn: meta.titleEn ?? null,
    language: meta.language,
    videoPath,
    slidesMarkdown,
    slidesPdfPath,
    slideCount,
    cues: meta.cues,
    captions,
    transcript,
    quiz,
    preview: meta.preview ?? null,
    sourceHash: createHash("sha256").update(hashes.join(":")).digest("hex"),
  };
}

export async function readCourseDir(dir: string, errors: SourceError[]): Promise<CourseSource | null> {
  const before = errors.length;
  const metaPath = path.join(dir, "course.yaml");
  const meta = await readYaml(metaPath, CourseFileSchema, errors);
  if (!meta) return null;
  if (meta.code !== path.basename(dir)) {
    errors.push({ path: metaPath, reason: `code "${meta.code}" must equal the folder name "${path.basename(dir)}"` });
  }
  if (meta.convention.toLowerCase() !== path.basename(path.dirname(dir))) {
    errors.push({
      path: metaPath,
      reason: `convention ${meta.convention} must match the folder "${path.basename(path.dirname(dir))}"`,
    });
  }
  if (new Set(meta.lessons).size !== meta.lessons.length) {
    errors.push({ path: metaPath, reason: "lessons: a lesson is listed twice" });
  }
  const lessons: LessonSource[] = [];
  for (const lessonSlug of meta.lessons) {
    const lessonDir = path.join(dir, "lessons", lessonSlug);
    if (!(await isDirectory(lessonDir))) {
      errors.push({ path: lessonDir, reason: "lesson folder listed in course.yaml does not exist" });
      continue;
    }
    const lesson = await readLesson(lessonDir, lessonSlug, errors);
    if (lesson) lessons.push(lesson);
  }
  const coverPath = meta.cover ? path.join(dir, meta.cover) : null;
  const hashes = [
    createHash("sha256")
      .update(await readFile(metaPath))
      .digest("hex"),
  ];
  if (coverPath) {
    if (!(await stat(coverPath).catch(() => null))?.isFile())
      errors.push({ path: coverPath, reason: "cover image is missing" });
    else hashes.push(await hashFile(coverPath));
  }
  if (errors.length > before) return null;
  const { cover: _cover, ...fields } = meta;
  const sourceHash = hashes.length === 1 ? hashes[0]! : createHash("sha256").update(hashes.join(":")).digest("hex");
  return { ...fields, dir, coverPath, sourceHash, lessons };
}

/** Reads and validates every course under `root`; throws CourseFilesError listing every problem. */
export async function readCourseTree(root: string): Promise<CourseSource[]> {
  const errors: SourceError[] = [];
  const courses: CourseSource[] = [];
  for (const dir of await findCourseDirs(root)) {
    const course = await readCourseDir(dir, errors);
    if (course) courses.push(course);
  }
  const codes = new Map<string, string>();
  for (const course of courses) {
    const other = codes.get(course.code);
    if (other) errors.push({ path: course.dir, reason: `course code ${course.code} is also used by ${other}` });
    codes.set(course.code, course.dir);
  }
  if (errors.length > 0) throw new CourseFilesError(errors);
  return courses;
}
