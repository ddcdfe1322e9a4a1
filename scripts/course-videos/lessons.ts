// The lessons under courses/, and making one lesson's video, captions and cues from its files.
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { isMap, parse, parseDocument, type Document } from "yaml";
import { checkLessonDuration, MAX_LESSON_SECONDS, MIN_LESSON_SECONDS } from "~/media/lesson-duration";
import { buildVtt } from "./captions";
import { encodeVideo, probeDuration, renderSlide } from "./encoding";
import { layoutSlide, type Fonts } from "./layout";
import { COURSES_DIR, fmtBytes, FPS, LessonError, MAX_VIDEO_BYTES, ROOT, round1 } from "./settings";
import { parseSlide, splitSections, transcriptText, type Slide } from "./slides";
import { synthesize } from "./speech";
import { chooseTiming, narration, slideFrames } from "./timing";
import { writeWav } from "./wav";

export interface LessonRef {
  rel: string; // path relative to the repository root
  dir: string;
  courseTitle: string;
}

export interface LessonResult {
  rel: string;
  slides: number;
  rate: number;
  duration: number;
  bytes: number;
}

/** The file names a lesson.yaml gives (or the defaults), plain names inside the lesson folder. */
export interface LessonFileNames {
  slides: string;
  transcript: string;
  video: string;
  caption: string;
}

function asRecord(v: unknown, file: string): Record<string, unknown> {
  if (!v || typeof v !== "object" || Array.isArray(v)) throw new Error(`${file}: expected a YAML mapping`);
  return v as Record<string, unknown>;
}

function subdirs(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => statSync(path.join(dir, name)).isDirectory())
    .sort();
}

/** Writes only when the content changed, so re-runs do not touch unchanged files. */
function writeIfChanged(file: string, data: Buffer | string): boolean {
  const buf = typeof data === "string" ? Buffer.from(data, "utf8") : data;
  if (existsSync(file) && readFileSync(file).equals(buf)) return false;
  writeFileSync(file, buf);
  return true;
}

export function findLessons(filter: string | undefined): LessonRef[] {
  if (!existsSync(COURSES_DIR)) throw new Error(`no courses directory at ${COURSES_DIR}`);
  const lessons: LessonRef[] = [];
  for (const conv of subdirs(COURSES_DIR)) {
    for (const code of subdirs(path.join(COURSES_DIR, conv))) {
      const courseDir = path.join(COURSES_DIR, conv, code);
      const courseFile = path.join(courseDir, "course.yaml");
      if (!existsSync(courseFile)) continue;
      const course = asRecord(parse(readFileSync(courseFile, "utf8")), courseFile);
      const slugs = course.lessons;
      if (!Array.isArray(slugs) || !slugs.every((s): s is string => typeof s === "string")) {
        throw new Error(`${courseFile}: 'lessons' must be a list of folder names`);
      }
      const courseTitle = typeof course.title === "string" ? course.title.normalize("NFC") : code;
      for (const slug of slugs) {
        const dir = path.join(courseDir, "lessons", slug);
        const rel = path.relative(ROOT, dir);
        if (filter && !rel.includes(filter)) continue;
        lessons.push({ rel, dir, courseTitle });
      }
    }
  }
  return lessons;
}

export function lessonFileNames(meta: Record<string, unknown>, lessonFile: string, rel: string): LessonFileNames {
  const name = (key: string, fallback: string) => {
    const v = meta[key];
    return typeof v === "string" && v ? v : fallback;
  };
  const slides = name("slides", "slides.md");
  const transcript = name("transcript", "transcript.md");
  const video = name("video", "video.mp4");
  const captions = Array.isArray(meta.captions) ? meta.captions : [];
  const viCaption = captions
    .map((c) => asRecord(c, lessonFile))
    .find((c) => typeof c.language === "string" && c.language.startsWith("vi"));
  const caption = typeof viCaption?.file === "string" ? viCaption.file : "captions.vi.vtt";
  for (const f of [slides, transcript, video, caption]) {
    if (f.includes("/") || f.includes("\\")) throw new LessonError(`${rel}: file names must be plain (${f})`);
  }
  return { slides, transcript, video, caption };
}

interface LessonSource {
  lessonFile: string;
  doc: Document;
  files: LessonFileNames;
  slides: Slide[];
  sections: string[];
}

/** lesson.yaml, the slides and the transcript sections, one section per slide. */
function readLesson({ dir, rel }: LessonRef): LessonSource {
  const lessonFile = path.join(dir, "lesson.yaml");
  if (!existsSync(lessonFile)) throw new LessonError(`${rel}: lesson.yaml missing`);
  const doc = parseDocument(readFileSync(lessonFile, "utf8"));
  if (doc.errors.length > 0) throw new LessonError(`${rel}/lesson.yaml: ${doc.errors[0]?.message}`);
  if (!isMap(doc.contents)) throw new LessonError(`${rel}/lesson.yaml: expected a mapping`);
  const files = lessonFileNames(asRecord(doc.toJS(), lessonFile), lessonFile, rel);

  const slides = splitSections(readFileSync(path.join(dir, files.slides), "utf8"), `${rel}/${files.slides}`).map(
    (s, i) => parseSlide(s, `${rel}/${files.slides} slide ${i + 1}`),
  );
  const sections = splitSections(
    readFileSync(path.join(dir, files.transcript), "utf8"),
    `${rel}/${files.transcript}`,
  ).map(transcriptText);
  if (slides.length !== sections.length) {
    throw new LessonError(
      `${rel}: ${files.slides} has ${slides.length} slides but ${files.transcript} has ${sections.length} sections`,
    );
  }
  return { lessonFile, doc, files, slides, sections };
}

export async function processLesson(lesson: LessonRef, fonts: Fonts): Promise<LessonResult> {
  const { dir, rel } = lesson;
  const { lessonFile, doc, files, slides, sections } = readLesson(lesson);

  const tmp = mkdtempSync(path.join(tmpdir(), "courses-videos-"));
  try {
    const pngs: string[] = [];
    for (const [i, slide] of slides.entries()) {
      const png = path.join(tmp, `slide-${String(i + 1).padStart(2, "0")}.png`);
      const where = `${rel} slide ${i + 1}`;
      await renderSlide(layoutSlide(slide, i, slides.length, lesson.courseTitle, fonts, where), i, tmp, png, where);
      pngs.push(png);
    }
    const timing = await chooseTiming(sections, (rate) => synthesize(sections, rate, tmp, rel), rel);
    const { cueFrames, totalFrames } = slideFrames(timing, rel);
    const wav = path.join(tmp, "narration.wav");
    writeWav(wav, narration(timing, totalFrames, rel));

    const mp4 = path.join(tmp, "video.mp4");
    await encodeVideo(pngs, cueFrames, totalFrames, wav, tmp, mp4, rel);
    const debugDir = process.env.COURSES_VIDEOS_DEBUG_DIR;
    if (debugDir) {
      // Keeps the intermediate files (slide PNGs, narration, video) for inspection.
      const keep = path.resolve(debugDir, rel.replace(/[\\/]/g, "__"));
      mkdirSync(keep, { recursive: true });
      for (const f of [...pngs, wav, mp4]) writeFileSync(path.join(keep, path.basename(f)), readFileSync(f));
    }
    const bytes = statSync(mp4).size;
    if (bytes >= MAX_VIDEO_BYTES) {
      throw new LessonError(`${rel}: video is ${fmtBytes(bytes)}, over the ${fmtBytes(MAX_VIDEO_BYTES)} limit`);
    }
    const duration = await probeDuration(mp4);
    if (!checkLessonDuration(duration).ok) {
      throw new LessonError(
        `${rel}: encoded video lasts ${duration.toFixed(1)} s, outside ${MIN_LESSON_SECONDS}–${MAX_LESSON_SECONDS} s`,
      );
    }

    writeIfChanged(path.join(dir, files.video), readFileSync(mp4));
    writeIfChanged(path.join(dir, files.caption), buildVtt(sections, timing));

    const cues = cueFrames.map((f) => round1(f / FPS));
    const cuesNode = doc.createNode(cues, { flow: true });
    doc.set("cues", cuesNode);
    writeIfChanged(lessonFile, doc.toString({ lineWidth: 0 }));

    return { rel, slides: slides.length, rate: timing.rate, duration, bytes };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
