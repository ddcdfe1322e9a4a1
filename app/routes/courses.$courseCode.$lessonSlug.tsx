import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useRevalidator } from "@remix-run/react";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { getOptionalUser, loginRedirect, requireUser } from "~/auth/auth.server";
import { QuizQuestions, Transcript } from "~/components/lesson-parts";
import { LessonPlayer, playerSource } from "~/components/lesson-player";
import { PdfSlides } from "~/components/pdf-slides";
import { ProgressBar } from "~/components/progress-bar";
import { SlideViewer } from "~/components/slide-viewer";
import { localized } from "~/i18n";
import { getLessonForLearner, publishedLessonExists } from "~/learning/lesson.server";
import { answersFromForm, QuizAnswersSchema, submitQuiz } from "~/learning/quiz.server";
import { formatClock } from "~/utils/format";

const Params = z.object({
  courseCode: z.string().regex(/^[a-z0-9-]{1,80}$/),
  lessonSlug: z.string().regex(/^[a-z0-9-]{1,80}$/),
});

function parseParams(params: unknown) {
  const parsed = Params.safeParse(params);
  if (!parsed.success) throw new Response("Not found", { status: 404 });
  return parsed.data;
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.lesson.title} · ${data.course.title}` : "Tập huấn" },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { courseCode, lessonSlug } = parseParams(params);
  const user = await getOptionalUser(request);
  if (!user) {
    // An unknown lesson is a 404 for everyone; only a real one asks to sign in.
    if (!(await publishedLessonExists(courseCode, lessonSlug))) throw new Response("Not found", { status: 404 });
    throw loginRedirect(request);
  }
  const view = await getLessonForLearner(courseCode, lessonSlug, user.id);
  if (!view) throw new Response("Not found", { status: 404 });
  if (!view.enrolled) throw redirect(`/courses/${courseCode}`);
  return view;
}

export async function action({ request, params }: ActionFunctionArgs) {
  parseParams(params);
  const user = await requireUser(request);
  const form = await request.formData();
  const lessonId = z.string().min(1).max(40).safeParse(form.get("lessonId"));
  const answers = QuizAnswersSchema.safeParse(answersFromForm(form));
  if (!lessonId.success || !answers.success) return { error: "quiz.invalid" as const, result: null };
  const submission = await submitQuiz(user.id, lessonId.data, answers.data);
  if (!submission.ok) {
    if (submission.error === "unknown_lesson" || submission.error === "no_quiz") throw new Response("Not found", { status: 404 });
    if (submission.error === "not_enrolled") throw new Response("Forbidden", { status: 403 });
    return { error: "quiz.unanswered" as const, result: null };
  }
  return { error: null, result: submission.result };
}

export default function LessonPage() {
  const { lesson, course, progress, previous, next } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t, i18n } = useTranslation("learn");
  const lng = i18n.language;
  const revalidator = useRevalidator();
  const [time, setTime] = useState(progress.lastPosition);
  const [watched, setWatched] = useState(progress.watchedPercent);
  const submitting = useNavigation().state === "submitting";

  const source = playerSource(lesson.video);
  // Resume where the learner left off, unless that was the very end.
  const startTime = progress.lastPosition < lesson.durationSeconds - 5 ? progress.lastPosition : 0;

  return (
    <div className="page lesson-page">
      <p className="breadcrumbs">
        <Link to="/">{t("common:nav.catalog")}</Link> › <Link to={`/courses/${course.code}`}>{localized(lng, course.title, course.titleEn)}</Link>
      </p>
      <h1 lang={lesson.language}>{lesson.title}</h1>
      {lng === "en" && lesson.titleEn ? <p className="subtitle">{lesson.titleEn}</p> : null}

      <div className={lesson.slides ? "lesson-stage" : "lesson-stage single"}>
        {source ? (
          <LessonPlayer
            lessonId={lesson.id}
            title={lesson.title}
            source={source}
            captions={lesson.captions.map((c) => ({ ...c, src: `/lessons/${lesson.id}/captions/${c.language}.vtt` }))}
            startTime={startTime}
            onTime={setTime}
            onProgress={(result) => {
              if (typeof result.watchedPercent === "number") setWatched(result.watchedPercent);
              if (result.completed && !progress.completedAt) revalidator.revalidate();
            }}
          />
        ) : (
          <p className="player-placeholder">{t("videoUnavailable")}</p>
        )}
        {lesson.slides?.kind === "html" ? (
          <SlideViewer pages={lesson.slides.pages} cues={lesson.cues} currentTime={time} language={lesson.language} />
        ) : lesson.slides?.kind === "pdf" ? (
          <PdfSlides
            url={`/media/${lesson.slides.assetId}`}
            pageCount={lesson.slides.pageCount}
            cues={lesson.cues}
            currentTime={time}
            language={lesson.language}
          />
        ) : null}
      </div>

      <section className="lesson-status" aria-labelledby="status-heading">
        <h2 id="status-heading" className="visually-hidden">
          {t("yourProgress")}
        </h2>
        <ProgressBar value={watched} max={100} label={t("watchedOf", { percent: watched, required: 90 })} />
        <p className="meta">
          {t("duration")}: {formatClock(lesson.durationSeconds)}
        </p>
        {progress.completedAt ? (
          <p className="badge success" data-testid="lesson-complete">
            {t("lessonCompleted")}
          </p>
        ) : (
          <p className="hint">{lesson.quiz ? t("completeRuleWithQuiz") : t("completeRule")}</p>
        )}
      </section>

      {lesson.quiz ? (
        <section className="quiz" aria-labelledby="quiz-heading">
          <h2 id="quiz-heading">{t("quiz.heading")}</h2>
          {progress.quizPassed ? (
            <p className="badge success">{t("quiz.passedBefore", { score: progress.quizScore })}</p>
          ) : (
            <p className="hint">{t("quiz.passMark", { mark: lesson.quiz.passMark })}</p>
          )}
          {actionData?.result ? (
            <p className={actionData.result.passed ? "notice success" : "notice warning"} role="status">
              {actionData.result.passed
                ? t("quiz.passed", { score: actionData.result.scorePercent })
                : t("quiz.failed", { score: actionData.result.scorePercent, mark: lesson.quiz.passMark })}
            </p>
          ) : null}
          {actionData?.error ? (
            <p className="form-error" role="alert">
              {t(actionData.error)}
            </p>
          ) : null}
          <Form method="post" className="stack" lang={lesson.language}>
            <input type="hidden" name="lessonId" value={lesson.id} />
            <QuizQuestions questions={lesson.quiz.questions} />
            <button type="submit" className="button" disabled={submitting}>
              {t("quiz.submit")}
            </button>
          </Form>
        </section>
      ) : null}

      <Transcript paragraphs={lesson.transcript} language={lesson.language} />

      <nav className="lesson-nav" aria-label={t("lessonNav")}>
        {previous ? (
          <Link to={`/courses/${course.code}/${previous.slug}`} rel="prev">
            ← {localized(lng, previous.title, previous.titleEn)}
          </Link>
        ) : (
          <span />
        )}
        {next ? (
          <Link to={`/courses/${course.code}/${next.slug}`} rel="next">
            {localized(lng, next.title, next.titleEn)} →
          </Link>
        ) : null}
      </nav>
    </div>
  );
}
