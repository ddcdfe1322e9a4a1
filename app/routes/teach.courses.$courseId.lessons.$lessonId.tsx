import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useNavigation, useRevalidator } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import type { ActionFeedback } from "~/components/action-feedback";
import { LessonCaptionsSection } from "~/components/teach/lesson-captions-section";
import { LessonCuesSection } from "~/components/teach/lesson-cues-section";
import { LessonDetailsSection } from "~/components/teach/lesson-details-section";
import { LessonQuizSection } from "~/components/teach/lesson-quiz-section";
import { LessonSlidesSection } from "~/components/teach/lesson-slides-section";
import { LessonTranscriptSection } from "~/components/teach/lesson-transcript-section";
import { LessonVideoSection } from "~/components/teach/lesson-video-section";
import { formatBytes, parseRefusal } from "~/media/refusals";
import { getLessonForAuthor } from "~/teach/courses.server";
import { lessonEditorActions, LessonEditorIntent } from "~/teach/lesson-editor-actions.server";
import { requireCourseEditor } from "~/teach/ownership.server";
import { getEnv } from "~/utils/env.server";
import { refused } from "~/utils/forms";
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
      muxUpload: lesson.muxUpload ? { ...lesson.muxUpload, refusal: parseRefusal(lesson.muxUpload.refusal) } : null,
    },
    storage: env.videoStorage,
    maxVideo: formatBytes(env.MAX_UPLOAD_BYTES),
  };
}

// Markdown slides (200,000 characters, Vietnamese percent-escaped) and a caption file.
const LESSON_FORM_MAX_BYTES = 4 * 1024 * 1024;

/** The lesson form; a caption file (the one multipart form) over its limit is said on the page, as a field error. */
async function readLessonForm(request: Request): Promise<FormData | "tooLarge"> {
  const withFile = (request.headers.get("Content-Type") ?? "").startsWith("multipart/form-data");
  return readForm(request, { maxBytes: LESSON_FORM_MAX_BYTES, files: { maxFileBytes: MAX_CAPTION_BYTES } }).catch(
    (error: unknown) => {
      if (withFile && isFormTooLarge(error)) return "tooLarge" as const;
      throw error;
    },
  );
}

export async function action({ request, params }: ActionFunctionArgs): Promise<ActionFeedback> {
  const { courseId, lessonId } = parseParams(params, Params);
  await requireCourseEditor(request, courseId);
  if (!(await getLessonForAuthor(courseId, lessonId))) throw notFound();
  const formData = await readLessonForm(request);
  if (formData === "tooLarge") return refused("captions.tooLarge", undefined, "caption");
  const intent = LessonEditorIntent.safeParse(formData.get("intent"));
  if (!intent.success) return refused("errors.invalidForm", undefined, "unknown");
  return lessonEditorActions[intent.data]({ courseId, lessonId }, formData);
}

export default function LessonEditor() {
  const { courseId, lesson, storage, maxVideo } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const { t } = useTranslation("teach");
  const busy = useNavigation().state === "submitting";
  const revalidator = useRevalidator();
  const refresh = () => revalidator.revalidate();

  return (
    <div className="page teach-page">
      <p className="breadcrumbs">
        <Link to="/teach">{t("home.heading")}</Link> ›{" "}
        <Link to={`/teach/courses/${courseId}`}>{lesson.course.title}</Link>
      </p>
      <div className="teach-header">
        <h1 lang={lesson.language}>{lesson.title}</h1>
        <Link className="button secondary" to={`/teach/courses/${courseId}/preview/${lesson.id}`}>
          {t("preview.lesson")}
        </Link>
      </div>
      <LessonVideoSection
        courseId={courseId}
        lesson={lesson}
        storage={storage}
        maxVideo={maxVideo}
        onStored={refresh}
      />
      <LessonSlidesSection courseId={courseId} lesson={lesson} data={data} busy={busy} onStored={refresh} />
      <LessonCuesSection courseId={courseId} lessonId={lesson.id} cues={lesson.cues} />
      <LessonCaptionsSection lesson={lesson} data={data} busy={busy} />
      <LessonTranscriptSection lesson={lesson} data={data} busy={busy} />
      <LessonQuizSection quiz={lesson.quiz} data={data} busy={busy} />
      <LessonDetailsSection lesson={lesson} data={data} busy={busy} />
    </div>
  );
}
