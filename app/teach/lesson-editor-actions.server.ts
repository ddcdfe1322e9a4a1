// The lesson editor's forms, one function per form (its `intent`); the route reads the
// form, picks the function and returns what it answers: an ActionResult named by the intent.
import { z } from "zod";
import { done, invalid, refused, type ActionResult, type Notice } from "~/utils/forms";
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

const notice = (intent: LessonEditorIntent, key: string, values?: Notice["values"]): ActionResult<Notice> =>
  done(values === undefined ? { notice: key } : { notice: key, values }, intent);

/** A text field of the form, "" when missing or a file. */
function text(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === "string" ? value : "";
}

export async function saveLessonDetails({ courseId, lessonId }: LessonRef, form: FormData) {
  const parsed = LessonFormSchema.safeParse(Object.fromEntries(form));
  if (!parsed.success) return invalid(parsed.error, "details");
  const saved = await updateLesson(courseId, lessonId, parsed.data);
  if (!saved.ok) return invalid({ [saved.field]: saved.error }, "details");
  return notice("details", "lesson.saved");
}

export async function saveLessonPreview({ courseId, lessonId }: LessonRef, form: FormData) {
  const isPreview = text(form, "isPreview") === "on";
  await setLessonPreview(courseId, lessonId, isPreview);
  return notice("preview", isPreview ? "lesson.previewOn" : "lesson.previewOff");
}

export async function saveMarkdownSlides({ courseId, lessonId }: LessonRef, form: FormData) {
  const result = await setMarkdownSlides(courseId, lessonId, text(form, "markdown").slice(0, 200_000));
  if (!result.ok && result.error === "remoteImages") {
    return refused("slides.remoteImages", { images: result.images.join(", ") }, "markdown");
  }
  if (!result.ok) return refused("slides.emptyDeck", undefined, "markdown");
  return notice("markdown", result.cuesCleared ? "slides.savedCuesCleared" : "slides.saved");
}

export async function removeLessonSlides({ courseId, lessonId }: LessonRef) {
  await removeSlides(courseId, lessonId);
  return notice("removeSlides", "slides.removed");
}

export async function uploadCaption({ courseId, lessonId }: LessonRef, form: FormData) {
  const parsed = CaptionFormSchema.safeParse({ language: text(form, "language"), label: text(form, "label") });
  if (!parsed.success) return invalid(parsed.error, "caption");
  const file = form.get("file");
  if (!(file instanceof File) || file.size === 0) return invalid({ file: "teach:validation.fileRequired" }, "caption");
  const vtt = new TextDecoder("utf-8", { fatal: false }).decode(await file.arrayBuffer());
  const result = await setCaption(courseId, lessonId, { ...parsed.data, vtt });
  if (!result.ok) return captionRefused(result);
  return notice("caption", "captions.saved", { count: result.cueCount });
}

function captionRefused(refusal: { line: number | null; message: string }) {
  return refusal.line
    ? refused("captions.invalidAt", { line: refusal.line, message: refusal.message }, "caption")
    : refused("captions.invalid", { message: refusal.message }, "caption");
}

export async function removeCaption({ courseId, lessonId }: LessonRef, form: FormData) {
  const language = LanguageTagSchema.safeParse(text(form, "language"));
  if (language.success) await deleteCaption(courseId, lessonId, language.data);
  return notice("deleteCaption", "captions.deleted");
}

export async function saveTranscript({ courseId, lessonId }: LessonRef, form: FormData) {
  await setTranscript(courseId, lessonId, text(form, "transcript").slice(0, 100_000));
  return notice("transcript", "transcript.saved");
}

export async function saveQuiz({ courseId, lessonId }: LessonRef, form: FormData) {
  let quiz: unknown;
  try {
    quiz = JSON.parse(text(form, "quiz"));
  } catch {
    return refused("errors.invalidForm", undefined, "quiz");
  }
  const result = await setQuiz(courseId, lessonId, quiz);
  if (!result.ok) {
    const problems = result.problems.map(({ code, ...values }) => ({ key: `quiz.problem.${code}`, values }));
    return { ...refused("quiz.invalid", undefined, "quiz"), problems };
  }
  return notice("quiz", "quiz.saved");
}

export async function removeQuiz({ courseId, lessonId }: LessonRef) {
  await setQuiz(courseId, lessonId, null);
  return notice("removeQuiz", "quiz.removed");
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
} satisfies Record<LessonEditorIntent, (lesson: LessonRef, form: FormData) => Promise<ActionResult<Notice>>>;
