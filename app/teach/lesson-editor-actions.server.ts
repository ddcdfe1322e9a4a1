// The lesson editor's forms, one function per form (its `intent`); the route reads the
// form, picks the function and returns what it answers ({intent, notice | error | errors}).
import { z } from "zod";
import { fieldErrors } from "~/utils/forms";
import {
  deleteCaption,
  removeSlides,
  setCaption,
  setLessonPreview,
  setMarkdownSlides,
  setQuiz,
  setTranscript,
  updateLesson,
} from "./courses.server";
import { CaptionFormSchema, LanguageTagSchema, LessonFormSchema } from "./forms";

export const LessonEditorIntent = z.enum([
  "details",
  "preview",
  "markdown",
  "removeSlides",
  "caption",
  "deleteCaption",
  "transcript",
  "quiz",
  "removeQuiz",
]);
export type LessonEditorIntent = z.infer<typeof LessonEditorIntent>;

type LessonRef = { courseId: string; lessonId: string };

/** A text field of the form, "" when missing or a file. */
function text(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === "string" ? value : "";
}

export async function saveLessonDetails({ courseId, lessonId }: LessonRef, form: FormData) {
  const parsed = LessonFormSchema.safeParse(Object.fromEntries(form));
  if (!parsed.success) return { intent: "details", errors: fieldErrors(parsed.error) };
  const saved = await updateLesson(courseId, lessonId, parsed.data);
  if (!saved.ok) return { intent: "details", errors: { [saved.field]: saved.error } };
  return { intent: "details", notice: "lesson.saved" };
}

export async function saveLessonPreview({ courseId, lessonId }: LessonRef, form: FormData) {
  const isPreview = text(form, "isPreview") === "on";
  await setLessonPreview(courseId, lessonId, isPreview);
  return { intent: "preview", notice: isPreview ? "lesson.previewOn" : "lesson.previewOff" };
}

export async function saveMarkdownSlides({ courseId, lessonId }: LessonRef, form: FormData) {
  const result = await setMarkdownSlides(courseId, lessonId, text(form, "markdown").slice(0, 200_000));
  if (!result.ok && result.error === "remoteImages") {
    return { intent: "markdown", error: "slides.remoteImages", values: { images: result.images.join(", ") } };
  }
  if (!result.ok) return { intent: "markdown", error: "slides.emptyDeck" };
  return { intent: "markdown", notice: result.cuesCleared ? "slides.savedCuesCleared" : "slides.saved" };
}

export async function removeLessonSlides({ courseId, lessonId }: LessonRef) {
  await removeSlides(courseId, lessonId);
  return { intent: "removeSlides", notice: "slides.removed" };
}

export async function uploadCaption({ courseId, lessonId }: LessonRef, form: FormData) {
  const parsed = CaptionFormSchema.safeParse({ language: text(form, "language"), label: text(form, "label") });
  if (!parsed.success) return { intent: "caption", errors: fieldErrors(parsed.error) };
  const file = form.get("file");
  if (!(file instanceof File) || file.size === 0) return { intent: "caption", errors: { file: "teach:validation.fileRequired" } };
  const vtt = new TextDecoder("utf-8", { fatal: false }).decode(await file.arrayBuffer());
  const result = await setCaption(courseId, lessonId, { ...parsed.data, vtt });
  if (!result.ok) return captionRefused(result);
  return { intent: "caption", notice: "captions.saved", values: { count: result.cueCount } };
}

function captionRefused(refusal: { line: number | null; message: string }) {
  return {
    intent: "caption",
    error: refusal.line ? "captions.invalidAt" : "captions.invalid",
    values: { line: refusal.line, message: refusal.message },
  };
}

export async function removeCaption({ courseId, lessonId }: LessonRef, form: FormData) {
  const language = LanguageTagSchema.safeParse(text(form, "language"));
  if (language.success) await deleteCaption(courseId, lessonId, language.data);
  return { intent: "deleteCaption", notice: "captions.deleted" };
}

export async function saveTranscript({ courseId, lessonId }: LessonRef, form: FormData) {
  await setTranscript(courseId, lessonId, text(form, "transcript").slice(0, 100_000));
  return { intent: "transcript", notice: "transcript.saved" };
}

export async function saveQuiz({ courseId, lessonId }: LessonRef, form: FormData) {
  let quiz: unknown;
  try {
    quiz = JSON.parse(text(form, "quiz"));
  } catch {
    return { intent: "quiz", error: "errors.invalidForm" };
  }
  const result = await setQuiz(courseId, lessonId, quiz);
  if (!result.ok) return { intent: "quiz", error: "quiz.invalid", quizProblems: result.problems };
  return { intent: "quiz", notice: "quiz.saved" };
}

export async function removeQuiz({ courseId, lessonId }: LessonRef) {
  await setQuiz(courseId, lessonId, null);
  return { intent: "removeQuiz", notice: "quiz.removed" };
}

/** Which function answers which form. */
export const lessonEditorActions = {
  details: saveLessonDetails,
  preview: saveLessonPreview,
  markdown: saveMarkdownSlides,
  removeSlides: removeLessonSlides,
  caption: uploadCaption,
  deleteCaption: removeCaption,
  transcript: saveTranscript,
  quiz: saveQuiz,
  removeQuiz,
} satisfies Record<LessonEditorIntent, (lesson: LessonRef, form: FormData) => Promise<{ intent: string }>>;
