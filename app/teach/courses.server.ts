import { checkWebVtt, type CaptionProblem } from "~/catalog/captions";
import {
  cueProblem,
  parseSlideCues,
  remoteImages,
  serializeSlideCues,
  splitSlides,
  type CueProblem,
} from "~/catalog/slides";
import { asciiSlug } from "~/coverage/provinces";
import type { z } from "zod";
import { parseStoredQuiz, quizOptionsRule, QuizSchema, serializeQuiz } from "~/learning/quiz";
import { refreshUnusedMarks } from "~/media/gc.server";
import { db } from "~/utils/db.server";
import type { CourseForm, LessonForm } from "./forms";
import { cuesClearedByDeck } from "./attach.server";
import type { Actor } from "./ownership";
import { editableBy } from "./ownership.server";

// Course and lesson authoring. Every function takes ids already checked by
// requireCourseEditor; lesson functions also take the course id, so a lesson
// of another course can never be reached through this one's URL.
// Lessons are edited in place: their ids (and so learners' progress and
// completions) survive every change, including a new video.

export function listAuthorCourses(actor: Actor) {
  return db.course.findMany({
    where: editableBy(actor),
    orderBy: [{ updatedAt: "desc" }],
    select: {
      id: true,
      code: true,
      title: true,
      titleEn: true,
      status: true,
      language: true,
      updatedAt: true,
      convention: { select: { code: true } },
      _count: { select: { lessons: true, enrolments: true } },
    },
  });
}

export function listConventions() {
  return db.convention.findMany({ orderBy: { position: "asc" }, select: { code: true, nameVi: true, nameEn: true } });
}

async function conventionId(code: string) {
  const convention = await db.convention.findUnique({ where: { code }, select: { id: true } });
  if (!convention) throw new Error(`Convention ${code} is missing: run npm run db:prepare`);
  return convention.id;
}

/** A free slug from a title: "Quyền trẻ em" → "quyen-tre-em", then "-2", "-3"… when taken. */
async function freeSlug(base: string, taken: (slug: string) => Promise<boolean>, fallback: string) {
  const stem = asciiSlug(base).slice(0, 60).replace(/-+$/, "") || fallback;
  for (let n = 1; ; n++) {
    const candidate = n === 1 ? stem : `${stem}-${n}`;
    if (!(await taken(candidate))) return candidate;
  }
}

export type CreateCourseResult = { ok: true; courseId: string } | { ok: false; field: "code"; error: string };

export async function createCourse(
  actor: Actor,
  input: CourseForm & { code: string | null },
): Promise<CreateCourseResult> {
  const codeTaken = async (code: string) => (await db.course.count({ where: { code } })) > 0;
  if (input.code && (await codeTaken(input.code)))
    return { ok: false, field: "code", error: "teach:validation.codeTaken" };
  const code = input.code ?? (await freeSlug(input.title, codeTaken, "khoa-hoc"));
  const course = await db.course.create({
    data: {
      code,
      ...(await courseFields(input)),
      status: "DRAFT",
      owners: { create: { userId: actor.id, role: "OWNER" } },
    },
    select: { id: true },
  });
  return { ok: true, courseId: course.id };
}

export async function updateCourse(courseId: string, input: CourseForm) {
  await db.course.update({ where: { id: courseId }, data: await courseFields(input) });
}

async function courseFields(input: CourseForm) {
  const { convention, language, title, titleEn, summary, summaryEn } = input;
  return { conventionId: await conventionId(convention), language, title, titleEn, summary, summaryEn };
}

/** Everything the course editor and the course preview show. */
export async function getCourseForAuthor(courseId: string) {
  return db.course.findUniqueOrThrow({
    where: { id: courseId },
    select: {
      id: true,
      code: true,
      title: true,
      titleEn: true,
      summary: true,
      summaryEn: true,
      language: true,
      status: true,
      publishedAt: true,
      coverAssetId: true,
      convention: { select: { code: true, nameVi: true, nameEn: true } },
      lessons: {
        orderBy: { position: "asc" },
        select: {
          id: true,
          slug: true,
          title: true,
          titleEn: true,
          language: true,
          isPreview: true,
          durationSeconds: true,
          slidesKind: true,
          quiz: true,
          videoAsset: { select: { status: true, storage: true } },
          _count: { select: { captions: true, progress: true } },
        },
      },
      _count: { select: { enrolments: true, completions: true } },
    },
  });
}

export async function getLessonForAuthor(courseId: string, lessonId: string) {
  const lesson = await db.lesson.findFirst({
    where: { id: lessonId, courseId },
    select: {
      id: true,
      slug: true,
      title: true,
      titleEn: true,
      language: true,
      position: true,
      isPreview: true,
      durationSeconds: true,
      slidesKind: true,
      slidesMarkdown: true,
      slideCues: true,
      transcript: true,
      quiz: true,
      videoAsset: {
        select: {
          id: true,
          storage: true,
          status: true,
          mimeType: true,
          originalName: true,
          sizeBytes: true,
          muxPlaybackId: true,
        },
      },
      slidesAsset: { select: { id: true, pageCount: true, originalName: true } },
      course: { select: { title: true } },
      captions: { orderBy: { language: "asc" }, select: { language: true, label: true } },
      uploads: {
        where: { purpose: "LESSON_VIDEO", storage: "MUX" },
        orderBy: { createdAt: "desc" },
        take: 1,
        select: { status: true, refusal: true, fileName: true, createdAt: true },
      },
    },
  });
  if (!lesson) return null;
  return {
    ...lesson,
    cues: parseSlideCues(lesson.slideCues),
    slideCount: slideCount(lesson),
    quiz: parseStoredQuiz(lesson.quiz),
    muxUpload: lesson.uploads[0] ?? null,
  };
}

export function slideCount(lesson: {
  slidesKind: string;
  slidesMarkdown: string | null;
  slidesAsset: { pageCount: number | null } | null;
}) {
  if (lesson.slidesKind === "MARKDOWN" && lesson.slidesMarkdown) return splitSlides(lesson.slidesMarkdown).length;
  if (lesson.slidesKind === "PDF") return lesson.slidesAsset?.pageCount ?? 0;
  return 0;
}

export async function findLesson(courseId: string, lessonId: string) {
  return db.lesson.findFirst({ where: { id: lessonId, courseId }, select: { id: true } });
}

export type LessonSaveResult = { ok: true; lessonId: string } | { ok: false; field: "slug"; error: string };

export async function addLesson(courseId: string, input: LessonForm): Promise<LessonSaveResult> {
  const slugTaken = async (slug: string) => (await db.lesson.count({ where: { courseId, slug } })) > 0;
  if (input.slug && (await slugTaken(input.slug)))
    return { ok: false, field: "slug", error: "teach:validation.slugTaken" };
  const slug = input.slug ?? (await freeSlug(input.title, slugTaken, "bai-hoc"));
  const last = await db.lesson.findFirst({
    where: { courseId },
    orderBy: { position: "desc" },
    select: { position: true },
  });
  const lesson = await db.lesson.create({
    data: {
      courseId,
      slug,
      position: (last?.position ?? -1) + 1,
      title: input.title,
      titleEn: input.titleEn,
      language: input.language,
      // A course's first lesson is its free preview until the trainer says otherwise.
      isPreview: last === null,
    },
    select: { id: true },
  });
  await touchCourse(courseId);
  return { ok: true, lessonId: lesson.id };
}

export async function updateLesson(courseId: string, lessonId: string, input: LessonForm): Promise<LessonSaveResult> {
  if (input.slug) {
    const clash = await db.lesson.findFirst({
      where: { courseId, slug: input.slug, id: { not: lessonId } },
      select: { id: true },
    });
    if (clash) return { ok: false, field: "slug", error: "teach:validation.slugTaken" };
  }
  await db.lesson.update({
    where: { id: lessonId, courseId },
    data: {
      title: input.title,
      titleEn: input.titleEn,
      language: input.language,
      ...(input.slug ? { slug: input.slug } : {}),
    },
  });
  await touchCourse(courseId);
  return { ok: true, lessonId };
}

/** Marks a lesson as a free preview (visitors play it without an account), or not. */
export async function setLessonPreview(courseId: string, lessonId: string, isPreview: boolean): Promise<void> {
  await db.lesson.update({ where: { id: lessonId, courseId }, data: { isPreview } });
  await touchCourse(courseId);
}

/** Swaps a lesson with its neighbour; positions are renumbered 0..n-1 on the way. */
export async function moveLesson(courseId: string, lessonId: string, direction: "up" | "down"): Promise<boolean> {
  return db.$transaction(async (tx) => {
    const lessons = await tx.lesson.findMany({
      where: { courseId },
      orderBy: { position: "asc" },
      select: { id: true },
    });
    const from = lessons.findIndex((l) => l.id === lessonId);
    const to = direction === "up" ? from - 1 : from + 1;
    if (from < 0 || to < 0 || to >= lessons.length) return false;
    [lessons[from], lessons[to]] = [lessons[to]!, lessons[from]!];
    for (const [position, lesson] of lessons.entries()) {
      await tx.lesson.update({ where: { id: lesson.id }, data: { position } });
    }
    await tx.course.update({ where: { id: courseId }, data: { updatedAt: new Date() } });
    return true;
  });
}

export type DeleteLessonResult = { ok: true } | { ok: false; error: "hasLearners" };

/** A lesson that learners have started stays: deleting it would erase their progress. */
export async function deleteLesson(courseId: string, lessonId: string): Promise<DeleteLessonResult> {
  return db.$transaction(async (tx) => {
    const started = await tx.lessonProgress.count({ where: { lessonId } });
    if (started > 0) return { ok: false as const, error: "hasLearners" as const };
    const deleted = await tx.lesson.delete({
      where: { id: lessonId, courseId },
      select: { videoAssetId: true, slidesAssetId: true },
    });
    await refreshUnusedMarks(tx, [deleted.videoAssetId, deleted.slidesAssetId]);
    const rest = await tx.lesson.findMany({ where: { courseId }, orderBy: { position: "asc" }, select: { id: true } });
    for (const [position, lesson] of rest.entries())
      await tx.lesson.update({ where: { id: lesson.id }, data: { position } });
    return { ok: true as const };
  });
}

async function touchCourse(courseId: string) {
  await db.course.update({ where: { id: courseId }, data: { updatedAt: new Date() } });
}

export type SlidesResult =
  | { ok: true; cuesCleared: boolean }
  | { ok: false; error: "emptyDeck" }
  | { ok: false; error: "remoteImages"; images: string[] };

/**
 * Cue times belong to a deck: when the number of slides changes they no
 * longer line up, so they are cleared (the trainer is told) rather than left
 * pointing at the wrong slides.
 */
export async function setMarkdownSlides(courseId: string, lessonId: string, markdown: string): Promise<SlidesResult> {
  const count = splitSlides(markdown).length;
  if (count === 0) return { ok: false, error: "emptyDeck" };
  const images = remoteImages(markdown);
  if (images.length > 0) return { ok: false, error: "remoteImages", images };
  const cuesCleared = await cuesClearedByDeck(db, lessonId, count);
  await dropSlidesAsset(lessonId, courseId, {
    slidesKind: "MARKDOWN",
    slidesMarkdown: markdown.replace(/\r\n/g, "\n"),
    ...(cuesCleared ? { slideCues: serializeSlideCues([]) } : {}),
  });
  await touchCourse(courseId);
  return { ok: true, cuesCleared };
}

export async function removeSlides(courseId: string, lessonId: string) {
  await dropSlidesAsset(lessonId, courseId, {
    slidesKind: "NONE",
    slidesMarkdown: null,
    slideCues: serializeSlideCues([]),
  });
  await touchCourse(courseId);
}

/** Sets the lesson's slides to something other than a PDF; the PDF it had may now be used by nothing (media GC). */
async function dropSlidesAsset(
  lessonId: string,
  courseId: string,
  data: { slidesKind: "MARKDOWN" | "NONE"; slidesMarkdown: string | null; slideCues?: string },
) {
  await db.$transaction(async (tx) => {
    const before = await tx.lesson.findUniqueOrThrow({
      where: { id: lessonId, courseId },
      select: { slidesAssetId: true },
    });
    await tx.lesson.update({ where: { id: lessonId, courseId }, data: { ...data, slidesAssetId: null } });
    await refreshUnusedMarks(tx, [before.slidesAssetId]);
  });
}

// `message` is the problem's key: the page says it through teach:captions.problem.* (nested in captions.invalid/invalidAt).
export type CaptionResult =
  { ok: true; cueCount: number } | { ok: false; error: "invalidVtt"; line: number | null; message: CaptionProblem };

export async function setCaption(
  courseId: string,
  lessonId: string,
  input: { language: string; label: string; vtt: string },
): Promise<CaptionResult> {
  const vtt = input.vtt.replace(/^\uFEFF/, "");
  const check = checkWebVtt(vtt);
  if (!check.ok) return { ok: false, error: "invalidVtt", line: check.line, message: check.problem };
  await db.lessonCaption.upsert({
    where: { lessonId_language: { lessonId, language: input.language } },
    create: { lessonId, language: input.language, label: input.label, vtt },
    update: { label: input.label, vtt },
  });
  await touchCourse(courseId);
  return { ok: true, cueCount: check.cueCount };
}

export async function deleteCaption(courseId: string, lessonId: string, language: string) {
  await db.lessonCaption.deleteMany({ where: { lessonId, language, lesson: { courseId } } });
  await touchCourse(courseId);
}

export async function setTranscript(courseId: string, lessonId: string, transcript: string) {
  const text = transcript.replace(/\r\n/g, "\n").trim();
  await db.lesson.update({ where: { id: lessonId, courseId }, data: { transcript: text || null } });
  await touchCourse(courseId);
}

export type QuizProblem = {
  code:
    | "passMark"
    | "attemptsPerRound"
    | "cooldownMinutes"
    | "questionsPerAttempt"
    | "explanation"
    | "noQuestions"
    | "prompt"
    | "optionText"
    | "tooFewOptions"
    | "singleCorrect"
    | "multipleCorrect"
    | "invalid";
  n?: number;
  m?: number;
};
export type QuizResult = { ok: true } | { ok: false; problems: QuizProblem[] };

/** The schema's findings in the trainer's terms: which question, which answer. */
export function quizProblems(issues: readonly z.core.$ZodIssue[]): QuizProblem[] {
  const problems = issues.map((issue): QuizProblem => {
    const [top, q, field, o, sub] = issue.path;
    const n = typeof q === "number" ? q + 1 : undefined;
    if (top === "passMark" || top === "attemptsPerRound" || top === "cooldownMinutes" || top === "questionsPerAttempt")
      return { code: top };
    if (top !== "questions") return { code: "invalid" };
    if (q === undefined) return { code: issue.code === "too_small" ? "noQuestions" : "invalid" };
    if (field === "prompt") return { code: "prompt", n };
    if (field === "explanation") return { code: "explanation", n };
    if (field === "options" && sub === "text" && typeof o === "number") return { code: "optionText", n, m: o + 1 };
    if (field === "options" && o === undefined) {
      if (issue.code === "too_small") return { code: "tooFewOptions", n };
      const rule = quizOptionsRule(issue);
      if (rule === "singleCorrect" || rule === "multipleCorrect") return { code: rule, n };
    }
    return { code: "invalid", n };
  });
  const seen = new Set<string>();
  return problems.filter((p) => !seen.has(JSON.stringify(p)) && seen.add(JSON.stringify(p)));
}

/** Stores the knowledge check (or removes it with null); the same schema reads quiz.yaml. */
export async function setQuiz(courseId: string, lessonId: string, quiz: unknown | null): Promise<QuizResult> {
  if (quiz === null) {
    await db.lesson.update({ where: { id: lessonId, courseId }, data: { quiz: null, passMark: null } });
    await touchCourse(courseId);
    return { ok: true };
  }
  const parsed = QuizSchema.safeParse(quiz);
  if (!parsed.success) {
    return { ok: false, problems: quizProblems(parsed.error.issues) };
  }
  await db.lesson.update({
    where: { id: lessonId, courseId },
    data: { quiz: serializeQuiz(parsed.data), passMark: parsed.data.passMark },
  });
  await touchCourse(courseId);
  return { ok: true };
}

export type CuesResult = { ok: true } | { ok: false; problem: CueProblem };

/** Saves cue times after checking them against the lesson's deck and measured video length. */
export async function setCues(courseId: string, lessonId: string, cues: number[]): Promise<CuesResult> {
  const lesson = await db.lesson.findFirstOrThrow({
    where: { id: lessonId, courseId },
    select: {
      durationSeconds: true,
      slidesKind: true,
      slidesMarkdown: true,
      slidesAsset: { select: { pageCount: true } },
    },
  });
  const rounded = cues.map((t) => Math.round(t * 10) / 10);
  const problem = cueProblem(rounded, slideCount(lesson), lesson.durationSeconds);
  if (problem) return { ok: false, problem };
  await db.lesson.update({ where: { id: lessonId }, data: { slideCues: serializeSlideCues(rounded) } });
  await touchCourse(courseId);
  return { ok: true };
}
