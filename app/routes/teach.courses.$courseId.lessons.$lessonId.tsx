import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useRevalidator } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { errorsFor, Feedback, type ActionFeedback } from "~/components/action-feedback";
import { z } from "zod";
import { LANGUAGE_SUGGESTIONS } from "~/components/course-fields";
import { TextAreaField } from "~/components/fields";
import { QuizEditor } from "~/components/quiz-editor";
import { TextField } from "~/components/text-field";
import { UploadField } from "~/components/upload-field";
import { formatBytes, type UploadRefusal } from "~/media/refusals";
import {
  deleteCaption,
  getLessonForAuthor,
  removeSlides,
  setCaption,
  setMarkdownSlides,
  setQuiz,
  setTranscript,
  updateLesson,
} from "~/teach/courses.server";
import { formatCue } from "~/teach/cue-times";
import { CaptionFormSchema, LanguageTagSchema, LessonFormSchema } from "~/teach/forms";
import { requireCourseEditor } from "~/teach/ownership.server";
import { getEnv } from "~/utils/env.server";
import { fieldErrors } from "~/utils/forms";
import { formatClock, languageName } from "~/utils/format";
import { isFormTooLarge, readForm } from "~/utils/read-form.server";
import { Id, notFound, parseParams } from "~/utils/route.server";
import { metaTitles } from "~/utils/meta";

const Params = z.object({ courseId: Id, lessonId: Id });

// WebVTT files are text: a lesson's captions are tens of kilobytes.
const MAX_CAPTION_BYTES = 1024 * 1024;

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => {
  const titles = metaTitles(matches);
  return [{ title: data ? `${data.lesson.title} · ${titles.teach}` : titles.site }];
};
export const handle = { i18n: ["teach"] };

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { courseId, lessonId } = parseParams(params, Params);
  await requireCourseEditor(request, courseId);
  const lesson = await getLessonForAuthor(courseId, lessonId);
  if (!lesson) throw notFound();
  const env = getEnv();
  return {
    courseId,
    lesson: {
      ...lesson,
      muxUpload: lesson.muxUpload
        ? { ...lesson.muxUpload, refusal: lesson.muxUpload.refusal ? (JSON.parse(lesson.muxUpload.refusal) as UploadRefusal) : null }
        : null,
    },
    storage: env.videoStorage,
    maxVideo: formatBytes(env.MAX_UPLOAD_BYTES),
  };
}

const Intent = z.enum(["details", "markdown", "removeSlides", "caption", "deleteCaption", "transcript", "quiz", "removeQuiz"]);


// Markdown slides (200,000 characters, Vietnamese percent-escaped) and a caption file.
const LESSON_FORM_MAX_BYTES = 4 * 1024 * 1024;

/** The lesson form; a caption file (the one multipart form) over its limit is said on the page, as a field error. */
async function readLessonForm(request: Request): Promise<FormData | "tooLarge"> {
  const withFile = (request.headers.get("Content-Type") ?? "").startsWith("multipart/form-data");
  return readForm(request, { maxBytes: LESSON_FORM_MAX_BYTES, files: { maxFileBytes: MAX_CAPTION_BYTES } }).catch((error: unknown) => {
    if (withFile && isFormTooLarge(error)) return "tooLarge" as const;
    throw error;
  });
}

export async function action({ request, params }: ActionFunctionArgs): Promise<ActionFeedback> {
  const { courseId, lessonId } = parseParams(params, Params);
  await requireCourseEditor(request, courseId);
  if (!(await getLessonForAuthor(courseId, lessonId))) throw notFound();
  const formData = await readLessonForm(request);
  if (formData === "tooLarge") return { intent: "caption", error: "captions.tooLarge" };
  const intent = Intent.safeParse(formData.get("intent"));
  if (!intent.success) return { intent: "unknown", error: "errors.invalidForm" };
  const text = (name: string) => {
    const value = formData.get(name);
    return typeof value === "string" ? value : "";
  };

  switch (intent.data) {
    case "details": {
      const parsed = LessonFormSchema.safeParse(Object.fromEntries(formData));
      if (!parsed.success) return { intent: intent.data, errors: fieldErrors(parsed.error) };
      const saved = await updateLesson(courseId, lessonId, parsed.data);
      if (!saved.ok) return { intent: intent.data, errors: { [saved.field]: saved.error } };
      return { intent: intent.data, notice: "lesson.saved" };
    }
    case "markdown": {
      const result = await setMarkdownSlides(courseId, lessonId, text("markdown").slice(0, 200_000));
      if (!result.ok && result.error === "remoteImages") {
        return { intent: intent.data, error: "slides.remoteImages", values: { images: result.images.join(", ") } };
      }
      if (!result.ok) return { intent: intent.data, error: "slides.emptyDeck" };
      return { intent: intent.data, notice: result.cuesCleared ? "slides.savedCuesCleared" : "slides.saved" };
    }
    case "removeSlides":
      await removeSlides(courseId, lessonId);
      return { intent: intent.data, notice: "slides.removed" };
    case "caption": {
      const parsed = CaptionFormSchema.safeParse({ language: text("language"), label: text("label") });
      if (!parsed.success) return { intent: intent.data, errors: fieldErrors(parsed.error) };
      const file = formData.get("file");
      if (!(file instanceof File) || file.size === 0) return { intent: intent.data, errors: { file: "teach:validation.fileRequired" } };
      const vtt = new TextDecoder("utf-8", { fatal: false }).decode(await file.arrayBuffer());
      const result = await setCaption(courseId, lessonId, { ...parsed.data, vtt });
      if (!result.ok) {
        return {
          intent: intent.data,
          error: result.line ? "captions.invalidAt" : "captions.invalid",
          values: { line: result.line, message: result.message },
        };
      }
      return { intent: intent.data, notice: "captions.saved", values: { count: result.cueCount } };
    }
    case "deleteCaption": {
      const language = LanguageTagSchema.safeParse(text("language"));
      if (language.success) await deleteCaption(courseId, lessonId, language.data);
      return { intent: intent.data, notice: "captions.deleted" };
    }
    case "transcript":
      await setTranscript(courseId, lessonId, text("transcript").slice(0, 100_000));
      return { intent: intent.data, notice: "transcript.saved" };
    case "quiz": {
      let quiz: unknown;
      try {
        quiz = JSON.parse(text("quiz"));
      } catch {
        return { intent: intent.data, error: "errors.invalidForm" };
      }
      const result = await setQuiz(courseId, lessonId, quiz);
      if (!result.ok) return { intent: intent.data, error: "quiz.invalid", quizProblems: result.problems };
      return { intent: intent.data, notice: "quiz.saved" };
    }
    case "removeQuiz":
      await setQuiz(courseId, lessonId, null);
      return { intent: intent.data, notice: "quiz.removed" };
  }
}

export default function LessonEditor() {
  const { courseId, lesson, storage, maxVideo } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const { t, i18n } = useTranslation("teach");
  const busy = useNavigation().state === "submitting";
  const revalidator = useRevalidator();
  const refresh = () => revalidator.revalidate();
  const muxUpload = lesson.muxUpload;

  return (
    <div className="page teach-page">
      <p className="breadcrumbs">
        <Link to="/teach">{t("home.heading")}</Link> › <Link to={`/teach/courses/${courseId}`}>{lesson.course.title}</Link>
      </p>
      <div className="teach-header">
        <h1 lang={lesson.language}>{lesson.title}</h1>
        <Link className="button secondary" to={`/teach/courses/${courseId}/preview/${lesson.id}`}>
          {t("preview.lesson")}
        </Link>
      </div>

      <section className="card" aria-labelledby="video-heading">
        <h2 id="video-heading">{t("video.heading")}</h2>
        {lesson.videoAsset ? (
          <p data-testid="current-video">
            {t("video.current", {
              duration: formatClock(lesson.durationSeconds ?? 0),
              file: lesson.videoAsset.originalName ?? "",
              storage: lesson.videoAsset.storage === "MUX" ? "Mux" : t("video.local"),
            })}
          </p>
        ) : (
          <p className="empty">{t("video.none")}</p>
        )}
        {muxUpload?.status === "PROCESSING" || muxUpload?.status === "RECEIVING" ? (
          <p className="notice warning">{t("video.muxPending", { file: muxUpload.fileName })}</p>
        ) : null}
        {muxUpload?.status === "REFUSED" && muxUpload.refusal ? (
          <p className="form-error" role="alert">
            {t(`refusal.${muxUpload.refusal.code}`, { ...muxUpload.refusal.values, file: muxUpload.fileName })}
          </p>
        ) : null}
        <UploadField
          purpose="LESSON_VIDEO"
          courseId={courseId}
          lessonId={lesson.id}
          label={lesson.videoAsset ? t("video.replace") : t("video.pick")}
          hint={t("video.hint", { limit: maxVideo }) + (storage === "mux" ? ` ${t("video.muxHint")}` : "")}
          accept="video/mp4,video/webm,.mp4,.webm"
          onStored={refresh}
        />
      </section>

      <section className="card" aria-labelledby="slides-heading">
        <h2 id="slides-heading">{t("slides.heading")}</h2>
        <Feedback data={data} intent="markdown" />
        <Feedback data={data} intent="removeSlides" />
        <p data-testid="current-slides">
          {lesson.slidesKind === "PDF"
            ? t("slides.currentPdf", { count: lesson.slideCount, file: lesson.slidesAsset?.originalName ?? "" })
            : lesson.slidesKind === "MARKDOWN"
              ? t("slides.currentMarkdown", { count: lesson.slideCount })
              : t("slides.none")}
        </p>
        <UploadField
          purpose="LESSON_SLIDES"
          courseId={courseId}
          lessonId={lesson.id}
          label={t("slides.pickPdf")}
          hint={t("slides.pdfHint")}
          accept="application/pdf,.pdf"
          onStored={refresh}
        />
        <details className="markdown-deck" open={lesson.slidesKind === "MARKDOWN"}>
          <summary>{t("slides.markdownSummary")}</summary>
          <Form method="post" className="stack">
            <input type="hidden" name="intent" value="markdown" />
            <TextAreaField
              name="markdown"
              label={t("slides.markdown")}
              hint={t("slides.markdownHint")}
              defaultValue={lesson.slidesMarkdown ?? ""}
              rows={10}
              lang={lesson.language}
            />
            <div>
              <button type="submit" className="button" disabled={busy}>
                {t("slides.saveMarkdown")}
              </button>
            </div>
          </Form>
        </details>
        {lesson.slidesKind !== "NONE" ? (
          <Form method="post">
            <button type="submit" name="intent" value="removeSlides" className="link-button" disabled={busy}>
              {t("slides.remove")}
            </button>
          </Form>
        ) : null}
      </section>

      <section className="card" aria-labelledby="cues-heading">
        <h2 id="cues-heading">{t("cues.heading")}</h2>
        <p data-testid="current-cues">
          {lesson.cues.length > 0 ? t("cues.current", { cues: lesson.cues.map(formatCue).join(", ") }) : t("cues.none")}
        </p>
        <p className="hint">{t("cues.hint")}</p>
        <Link className="button secondary" to={`/teach/courses/${courseId}/preview/${lesson.id}#cue-recorder`}>
          {t("cues.record")}
        </Link>
      </section>

      <section className="card" aria-labelledby="captions-heading">
        <h2 id="captions-heading">{t("captions.heading")}</h2>
        <Feedback data={data} intent="caption" />
        <Feedback data={data} intent="deleteCaption" />
        {lesson.captions.length === 0 ? (
          <p className="empty">{t("captions.none")}</p>
        ) : (
          <ul data-testid="caption-list">
            {lesson.captions.map((caption) => (
              <li key={caption.language}>
                {caption.label} ({languageName(caption.language, i18n.language)}, <code>{caption.language}</code>){" "}
                <Form method="post" className="inline-form">
                  <input type="hidden" name="language" value={caption.language} />
                  <button type="submit" name="intent" value="deleteCaption" className="link-button" disabled={busy}>
                    {t("captions.delete")}
                    <span className="visually-hidden"> {caption.label}</span>
                  </button>
                </Form>
              </li>
            ))}
          </ul>
        )}
        <Form method="post" encType="multipart/form-data" className="stack" noValidate>
          <input type="hidden" name="intent" value="caption" />
          <div className="row">
            <TextField
              name="language"
              label={t("captions.language")}
              defaultValue={lesson.language}
              error={errorsFor(data, "caption").language}
              list="caption-language-tags"
              required
            />
            <TextField name="label" label={t("captions.label")} defaultValue={languageName(lesson.language, lesson.language)} error={errorsFor(data, "caption").label} required />
          </div>
          <datalist id="caption-language-tags">
            {LANGUAGE_SUGGESTIONS.map((tag) => (
              <option key={tag} value={tag} />
            ))}
          </datalist>
          <TextField name="file" type="file" label={t("captions.file")} hint={t("captions.fileHint")} accept=".vtt,text/vtt" error={errorsFor(data, "caption").file} />
          <div>
            <button type="submit" className="button" disabled={busy}>
              {t("captions.upload")}
            </button>
          </div>
        </Form>
      </section>

      <section className="card" aria-labelledby="transcript-heading">
        <h2 id="transcript-heading">{t("transcript.heading")}</h2>
        <Feedback data={data} intent="transcript" />
        <Form method="post" className="stack">
          <input type="hidden" name="intent" value="transcript" />
          <TextAreaField name="transcript" label={t("transcript.label")} hint={t("transcript.hint")} defaultValue={lesson.transcript ?? ""} rows={8} lang={lesson.language} />
          <div>
            <button type="submit" className="button" disabled={busy}>
              {t("transcript.save")}
            </button>
          </div>
        </Form>
      </section>

      <section className="card" aria-labelledby="quiz-heading">
        <h2 id="quiz-heading">{t("quiz.heading")}</h2>
        <p className="hint">{t("quiz.hint")}</p>
        <Feedback data={data} intent="quiz" />
        {data?.intent === "quiz" && data.quizProblems ? (
          <ul className="form-error">
            {data.quizProblems.map((problem, index) => (
              <li key={index}>{t(`quiz.problem.${problem.code}`, problem)}</li>
            ))}
          </ul>
        ) : null}
        <Feedback data={data} intent="removeQuiz" />
        <Form method="post" className="stack" key={lesson.quiz ? JSON.stringify(lesson.quiz) : "none"}>
          <input type="hidden" name="intent" value="quiz" />
          <QuizEditor initial={lesson.quiz} name="quiz" />
          <div className="row">
            <button type="submit" className="button" disabled={busy}>
              {t("quiz.save")}
            </button>
          </div>
        </Form>
        {lesson.quiz ? (
          <Form method="post">
            <button type="submit" name="intent" value="removeQuiz" className="link-button" disabled={busy}>
              {t("quiz.remove")}
            </button>
          </Form>
        ) : null}
      </section>

      <section className="card" aria-labelledby="details-heading">
        <h2 id="details-heading">{t("lesson.detailsHeading")}</h2>
        <Feedback data={data} intent="details" />
        <Form method="post" className="stack" noValidate>
          <input type="hidden" name="intent" value="details" />
          <TextField name="title" label={t("lesson.title")} defaultValue={lesson.title} error={errorsFor(data, "details").title} required />
          <TextField name="titleEn" label={t("lesson.titleEn")} defaultValue={lesson.titleEn ?? ""} error={errorsFor(data, "details").titleEn} />
          <TextField name="language" label={t("lesson.language")} defaultValue={lesson.language} error={errorsFor(data, "details").language} required />
          <TextField name="slug" label={t("lesson.slug")} hint={t("lesson.slugHint")} defaultValue={lesson.slug} error={errorsFor(data, "details").slug} />
          <div>
            <button type="submit" className="button" disabled={busy}>
              {t("lesson.save")}
            </button>
          </div>
        </Form>
      </section>
    </div>
  );
}
