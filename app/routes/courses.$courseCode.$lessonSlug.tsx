import { Localized, SentenceWithName } from "~/components/localized-text";
import {
  redirect,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
  type SerializeFrom,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useRevalidator } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { getOptionalUser, loginRedirect, requireUser } from "~/auth/auth.server";
import { enrol } from "~/catalog/catalog.server";
import { learnerCertificateFor } from "~/certificates/learner.server";
import { CertificateLinks } from "~/components/certificate-links";
import { QuizQuestions, QuizReview, Transcript } from "~/components/lesson-parts";
import { LessonStage } from "~/components/lesson-stage";
import { ProgressBar } from "~/components/progress-bar";
import { VisitorLesson } from "~/components/visitor-lesson";
import { REQUIRED_WATCH_PERCENT } from "~/learning/completion";
import { getLessonForLearner, getPreviewLessonForVisitor, publishedLessonExists } from "~/learning/lesson.server";
import { LESSON_LEARNER_ID, readLessonLearner, type LessonLearner } from "~/learning/lesson-learner";
import { lessonPageParts } from "~/learning/lesson-page.server";
import { answersFromForm, QuizAnswersSchema, submitQuiz } from "~/learning/quiz.server";
import { formatClock, formatDateTime } from "~/utils/format";
import { playerChunkUrls } from "~/utils/client-chunks.server";
import { done, refused } from "~/utils/forms";
import { readForm } from "~/utils/read-form.server";
import { forbidden, notFound, parseParams } from "~/utils/route.server";

const Params = z.object({
  courseCode: z.string().regex(/^[a-z0-9-]{1,80}$/),
  lessonSlug: z.string().regex(/^[a-z0-9-]{1,80}$/),
});

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.lesson.title} · ${data.course.title}` : "Tập huấn" },
];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { courseCode, lessonSlug } = parseParams(params, Params);
  // server.js rendering a page to keep: it has checked the session and the
  // enrolment and started the view itself; the learner's part goes into each
  // answer's island (app/learning/lesson-page.server.ts).
  if (context.keptLesson) {
    return { visitor: false as const, ...context.keptLesson, learner: null, playerChunks: playerChunkUrls() };
  }
  const user = await getOptionalUser(request);
  if (!user) {
    // A free preview plays for visitors; an unknown lesson is a 404 for everyone; only a real one asks to sign in.
    const preview = await getPreviewLessonForVisitor(courseCode, lessonSlug);
    if (preview) return { visitor: true as const, signedIn: false, ...preview, playerChunks: playerChunkUrls() };
    if (!(await publishedLessonExists(courseCode, lessonSlug))) throw notFound();
    throw loginRedirect(request);
  }
  const view = await getLessonForLearner(courseCode, lessonSlug, user.id);
  if (!view) throw notFound();
  if (!view.enrolled) {
    // Not enrolled (getLessonForLearner then writes nothing): a free preview plays as for a
    // visitor, with enrolment one click away; every other lesson waits behind the course page.
    const preview = await getPreviewLessonForVisitor(courseCode, lessonSlug);
    if (preview) return { visitor: true as const, signedIn: true, ...preview, playerChunks: playerChunkUrls() };
    throw redirect(`/courses/${courseCode}`);
  }
  const { content, learner } = lessonPageParts(view, user.id, await learnerCertificateFor(user.id, view.course.id));
  return {
    visitor: false as const,
    ...content,
    learner: learner as LessonLearner | null,
    playerChunks: playerChunkUrls(),
  };
}

const Intent = z.enum(["quiz", "enrol"]).default("quiz");

export async function action({ request, params }: ActionFunctionArgs) {
  const { courseCode, lessonSlug } = parseParams(params, Params);
  const user = await requireUser(request);
  const form = await readForm(request);
  const intent = Intent.safeParse(form.get("intent") ?? undefined);
  if (!intent.success) return refused("quiz.invalid");
  if (intent.data === "enrol") {
    // From a free preview's invitation: enrol the one who asks, then the full lesson.
    if (!(await publishedLessonExists(courseCode, lessonSlug))) throw notFound();
    if (!(await enrol(user.id, courseCode))) throw notFound();
    return redirect(`/courses/${courseCode}/${lessonSlug}`);
  }
  const lessonId = z.string().min(1).max(40).safeParse(form.get("lessonId"));
  const answers = QuizAnswersSchema.safeParse(answersFromForm(form));
  if (!lessonId.success || !answers.success) return refused("quiz.invalid");
  const submission = await submitQuiz(user.id, lessonId.data, answers.data);
  if (!submission.ok) {
    if (submission.error === "unknown_lesson" || submission.error === "no_quiz") throw notFound();
    if (submission.error === "not_enrolled") throw forbidden();
    // The page writes the time in the reader's language and zone.
    if (submission.error === "cooldown") return refused("quiz.cooldown", { retryAt: submission.retryAt.toISOString() });
    return refused(`quiz.${submission.error}`);
  }
  const { feedback } = submission;
  // Only what the page shows; the review itself comes from the reloaded page data.
  return done({
    outcome: feedback.outcome,
    scorePercent: feedback.scorePercent,
    attemptsLeft: feedback.outcome === "failed" ? feedback.attemptsLeft : 0,
    retryAt: feedback.outcome === "exhausted" ? feedback.retryAt.toISOString() : null,
  });
}

function drawKey(questions: { id: string; options: { id: string }[] }[]) {
  return questions.map((q) => `${q.id}:${q.options.map((o) => o.id).join(",")}`).join("|");
}

export default function LessonPage() {
  const data = useLoaderData<typeof loader>();
  return data.visitor ? <VisitorLesson {...data} /> : <LearnerLesson data={data} />;
}

function LearnerLesson({ data }: { data: Extract<SerializeFrom<typeof loader>, { visitor: false }> }) {
  const { lesson, course, previous, next, playerChunks } = data;
  // A kept page (app/learning/lesson-page.server.ts) brings the learner's
  // part in its island, read once hydrated; a navigation or a revalidation
  // brings it with the loader's data.
  const [island, setIsland] = useState<LessonLearner | null>(null);
  useEffect(() => {
    if (!data.learner) setIsland(readLessonLearner(document));
  }, [data.learner]);
  const learner = data.learner ?? island;
  const quiz = learner?.quiz ?? null;
  const certificate = learner?.certificate ?? null;
  const actionData = useActionData<typeof action>();
  const feedback = actionData?.status === "ok" ? actionData.data : null;
  const refusal = actionData?.status === "invalid" ? actionData.formError : undefined;
  const resultRef = useRef<HTMLParagraphElement>(null);
  // After a submission, take keyboard and screen-reader users to its result.
  useEffect(() => {
    if (actionData) resultRef.current?.focus();
  }, [actionData]);
  const { t, i18n } = useTranslation("learn");
  const { t: tc } = useTranslation("certificates");
  const lng = i18n.language;
  const revalidator = useRevalidator();
  // The course-complete moment: the certificate appears while the learner is
  // on the page (the last requirement was just met), not when they come back.
  const hadCertificate = useRef<boolean | null>(null);
  const [justCompleted, setJustCompleted] = useState(false);
  const completeRef = useRef<HTMLElement>(null);
  useEffect(() => {
    if (!learner) return;
    if (certificate && hadCertificate.current === false) setJustCompleted(true);
    hadCertificate.current = certificate !== null;
  }, [learner, certificate]);
  useEffect(() => {
    if (justCompleted) completeRef.current?.focus();
  }, [justCompleted]);
  const [time, setTime] = useState(learner?.progress.lastPosition ?? 0);
  const [watched, setWatched] = useState(learner?.progress.watchedPercent ?? 0);
  // The slides follow the position stored for this lesson until the video plays.
  const positionOf = useRef<string | null>(learner ? lesson.id : null);
  useEffect(() => {
    if (!learner) return;
    setWatched(learner.progress.watchedPercent);
    if (positionOf.current === lesson.id) return;
    positionOf.current = lesson.id;
    setTime(learner.progress.lastPosition);
  }, [learner, lesson.id]);
  const submitting = useNavigation().state === "submitting";

  // Resume where the learner left off, unless that was the very end.
  const lastPosition = learner?.progress.lastPosition ?? 0;
  const startTime = lastPosition < lesson.durationSeconds - 5 ? lastPosition : 0;

  return (
    <div className="page lesson-page">
      <p className="breadcrumbs">
        <Link to="/">{t("common:nav.catalog")}</Link> ›{" "}
        <Link to={`/courses/${course.code}`}>
          <Localized vi={course.title} en={course.titleEn} />
        </Link>
      </p>
      <h1 lang={lesson.language}>{lesson.title}</h1>
      {lng === "en" && lesson.titleEn ? <p className="subtitle">{lesson.titleEn}</p> : null}

      {/* The player starts once the learner's view is known: a kept page's stage is made again then. */}
      <LessonStage
        key={learner ? "learner" : "kept"}
        lesson={lesson}
        cues={lesson.cues}
        currentTime={time}
        onTime={setTime}
        viewId={learner?.viewId ?? null}
        learnerId={learner?.learnerId ?? null}
        startTime={startTime}
        playerChunks={playerChunks}
        onProgress={(result) => {
          if (typeof result.watchedPercent === "number") setWatched(result.watchedPercent);
          if (result.completed && !learner?.progress.completedAt) revalidator.revalidate();
        }}
      />

      {learner ? (
        <section className="lesson-status" aria-labelledby="status-heading">
          <h2 id="status-heading" className="visually-hidden">
            {t("yourProgress")}
          </h2>
          <ProgressBar
            value={watched}
            max={100}
            label={t("watchedOf", { percent: watched, required: REQUIRED_WATCH_PERCENT })}
          />
          <p className="meta">
            {t("duration")}: {formatClock(lesson.durationSeconds)}
          </p>
          {learner.progress.completedAt ? (
            <p className="badge success" data-testid="lesson-complete">
              {t("lessonCompleted")}
            </p>
          ) : (
            <p className="hint">{quiz ? t("completeRuleWithQuiz") : t("completeRule")}</p>
          )}
        </section>
      ) : null}

      <div aria-live="polite">
        {justCompleted && certificate ? (
          <section
            ref={completeRef}
            tabIndex={-1}
            className="card course-complete"
            aria-labelledby="course-complete-heading"
            data-testid="course-complete"
          >
            <h2 id="course-complete-heading">{tc("complete.heading")}</h2>
            <p>
              <SentenceWithName ns="certificates" i18nKey="complete.lead" vi={course.title} en={course.titleEn} />
            </p>
            <p>{tc("complete.code", { code: certificate.code })}</p>
            <CertificateLinks code={certificate.code} />
            <p className="meta">{tc("complete.verify")}</p>
            <p>
              <Link to="/my-learning">{tc("complete.myLearning")}</Link>
            </p>
          </section>
        ) : null}
      </div>
      {certificate && !justCompleted && !next ? (
        <section className="card" aria-labelledby="course-certificate-heading">
          <h2 id="course-certificate-heading">{tc("links.lastLesson")}</h2>
          <p className="meta">
            {tc("links.code")}: <code>{certificate.code}</code>
          </p>
          <CertificateLinks code={certificate.code} />
        </section>
      ) : null}

      {quiz ? (
        <section className="quiz" aria-labelledby="quiz-heading">
          <h2 id="quiz-heading">{t("quiz.heading")}</h2>
          {actionData ? (
            <p
              ref={resultRef}
              tabIndex={-1}
              role="status"
              className={feedback?.outcome === "passed" ? "notice success" : feedback ? "notice warning" : "form-error"}
            >
              {feedback?.outcome === "passed"
                ? t("quiz.passed", { score: feedback.scorePercent })
                : feedback?.outcome === "exhausted"
                  ? t("quiz.exhausted", {
                      score: feedback.scorePercent,
                      mark: quiz.passMark,
                      time: formatDateTime(feedback.retryAt!, lng),
                    })
                  : feedback
                    ? `${t("quiz.failed", { score: feedback.scorePercent, mark: quiz.passMark })} ${t("quiz.attemptsLeft", { count: feedback.attemptsLeft })}`
                    : refusal?.key === "quiz.cooldown"
                      ? t("quiz.cooldown", { time: formatDateTime(String(refusal.values?.retryAt), lng) })
                      : t(refusal?.key ?? "quiz.invalid")}
            </p>
          ) : null}
          {quiz.state === "passed" ? (
            <>
              <p className="badge success">{t("quiz.passedBefore", { score: quiz.scorePercent })}</p>
              <QuizReview review={quiz.review} language={lesson.language} />
            </>
          ) : quiz.state === "cooldown" ? (
            <>
              {actionData ? null : (
                <p className="notice warning">{t("quiz.cooldown", { time: formatDateTime(quiz.retryAt, lng) })}</p>
              )}
              <QuizReview review={quiz.review} language={lesson.language} />
            </>
          ) : (
            <>
              <p className="hint">
                {t("quiz.passMark", { mark: quiz.passMark })}{" "}
                {t("quiz.rules", { count: quiz.attemptsPerRound, minutes: quiz.cooldownMinutes })}{" "}
                {t("quiz.attemptsLeft", { count: quiz.attemptsLeft })}
              </p>
              {/* A new draw is a new form: answers to the last one must not stay checked. */}
              <Form method="post" className="stack" lang={lesson.language} key={drawKey(quiz.questions)}>
                <input type="hidden" name="lessonId" value={lesson.id} />
                <QuizQuestions questions={quiz.questions} />
                <button type="submit" className="button" disabled={submitting}>
                  {t("quiz.submit")}
                </button>
              </Form>
            </>
          )}
        </section>
      ) : null}

      <Transcript paragraphs={lesson.transcript} language={lesson.language} />
      {data.learner ? null : (
        // The kept page's island (EMPTY_LESSON_LEARNER): server.js writes the learner's part into it.
        <script
          type="application/json"
          id={LESSON_LEARNER_ID}
          suppressHydrationWarning
          dangerouslySetInnerHTML={{ __html: "" }}
        />
      )}

      <nav className="lesson-nav" aria-label={t("lessonNav")}>
        {previous ? (
          <Link to={`/courses/${course.code}/${previous.slug}`} rel="prev">
            ← <Localized vi={previous.title} en={previous.titleEn} />
          </Link>
        ) : (
          <span />
        )}
        {next ? (
          <Link to={`/courses/${course.code}/${next.slug}`} rel="next">
            <Localized vi={next.title} en={next.titleEn} /> →
          </Link>
        ) : null}
      </nav>
    </div>
  );
}
