import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { CueRecorder, parseDraft } from "~/components/cue-recorder";
import { QuizQuestions, Transcript } from "~/components/lesson-parts";
import { playerSource } from "~/components/lesson-player";
import { LessonStage } from "~/components/lesson-stage";
import { PreviewBanner } from "~/components/preview-banner";
import { setCues } from "~/teach/courses.server";
import { formatCue, parseClock } from "~/teach/cue-times";
import { requireCourseEditor } from "~/teach/ownership.server";
import { getLessonPreview } from "~/teach/preview.server";
import type { CueProblem } from "~/catalog/slides";
import { formatClock } from "~/utils/format";
import { done, refused, type ActionResult } from "~/utils/forms";
import { readForm } from "~/utils/read-form.server";
import { Id, notFound, parseParams } from "~/utils/route.server";
import { metaTitles } from "~/utils/meta";

const Params = z.object({ courseId: Id, lessonId: Id });

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => {
  const titles = metaTitles(matches);
  return [{ title: data ? `${data.lesson.title} · ${titles.preview}` : titles.site }];
};
export const handle = { i18n: ["teach", "learn"] };

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { courseId, lessonId } = parseParams(params, Params);
  await requireCourseEditor(request, courseId);
  const preview = await getLessonPreview(courseId, lessonId);
  if (!preview) throw notFound();
  return preview;
}

/** The cue times were saved, or why not ("teach:cues.problem.pastEnd" and its values). */
function answer(
  result: { ok: true } | { ok: false; problem: CueProblem | { code: "unreadable"; n: number } },
): ActionResult {
  if (result.ok) return done();
  const { code, ...values } = result.problem;
  return refused(`teach:cues.problem.${code}`, values);
}

export async function action({ request, params }: ActionFunctionArgs): Promise<ActionResult> {
  const { courseId, lessonId } = parseParams(params, Params);
  await requireCourseEditor(request, courseId);
  if (!(await getLessonPreview(courseId, lessonId))) throw notFound();
  const form = await readForm(request);
  if (form.get("clear")) return answer(await setCues(courseId, lessonId, []));
  const typed = form.getAll("cue").map((value) => (typeof value === "string" ? value.trim() : ""));
  while (typed.length > 0 && typed[typed.length - 1] === "") typed.pop();
  const cues: number[] = [];
  for (const [index, value] of typed.entries()) {
    const seconds = parseClock(value);
    if (seconds === null) return answer({ ok: false, problem: { code: "unreadable", n: index + 1 } });
    cues.push(seconds);
  }
  return answer(await setCues(courseId, lessonId, cues));
}

export default function LessonPreview() {
  const { lesson, course, previous, next } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t } = useTranslation("teach");
  const busy = useNavigation().state === "submitting";
  const [time, setTime] = useState(0);
  const savedDraft = lesson.cues.length > 0 ? lesson.cues.map(formatCue) : ["0:00"];
  const [draft, setDraft] = useState<string[]>(savedDraft);
  const savedKey = lesson.cues.join(",");
  // eslint-disable-next-line react-hooks/exhaustive-deps -- reset only when the saved times change
  useEffect(() => setDraft(savedDraft), [savedKey]);

  const source = playerSource(lesson.video);
  const slideCount =
    lesson.slides?.kind === "html"
      ? lesson.slides.pages.length
      : lesson.slides?.kind === "pdf"
        ? lesson.slides.pageCount
        : 0;
  // While recording, the deck follows the times being recorded.
  const cues = parseDraft(draft).length > 1 ? parseDraft(draft) : lesson.cues;
  const problem =
    result?.status === "invalid" && result.formError ? t(result.formError.key, result.formError.values) : null;

  return (
    <div className="page lesson-page">
      <PreviewBanner courseId={course.id} status={course.status} />
      <p className="breadcrumbs">
        <Link to={`/teach/courses/${course.id}/preview`}>{course.title}</Link>
      </p>
      <h1 lang={lesson.language}>{lesson.title}</h1>

      <LessonStage
        lesson={lesson}
        cues={cues}
        currentTime={time}
        onTime={setTime}
        viewId={null}
        learnerId={null}
        startTime={0}
        onProgress={() => {}}
      />
      <p className="meta">
        {t("learn:duration")}: {formatClock(lesson.durationSeconds)}
      </p>

      {result?.status === "ok" ? (
        <p className="notice success" role="status">
          {t("cues.saved")}
        </p>
      ) : null}
      {source && slideCount > 1 ? (
        <CueRecorder
          slideCount={slideCount}
          draft={draft}
          onDraft={setDraft}
          currentTime={time}
          busy={busy}
          problem={problem}
        />
      ) : (
        <p className="hint">{t("cues.needVideoAndSlides")}</p>
      )}

      {lesson.quiz ? (
        <section className="quiz" aria-labelledby="quiz-heading">
          <h2 id="quiz-heading">{t("learn:quiz.heading")}</h2>
          <p className="hint">{t("learn:quiz.passMark", { mark: lesson.quiz.passMark })}</p>
          <div className="stack" lang={lesson.language}>
            <QuizQuestions questions={lesson.quiz.questions} disabled />
          </div>
        </section>
      ) : null}

      <Transcript paragraphs={lesson.transcript} language={lesson.language} />

      <nav className="lesson-nav" aria-label={t("learn:lessonNav")}>
        {previous ? (
          <Link to={`/teach/courses/${course.id}/preview/${previous.id}`} rel="prev">
            ← {previous.title}
          </Link>
        ) : (
          <span />
        )}
        {next ? (
          <Link to={`/teach/courses/${course.id}/preview/${next.id}`} rel="next">
            {next.title} →
          </Link>
        ) : null}
      </nav>
    </div>
  );
}
