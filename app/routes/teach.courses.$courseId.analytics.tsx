import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { ShareChart } from "~/components/teach/share-chart";
import { localized } from "~/i18n";
import { percent } from "~/teach/analytics";
import { loadCourseAnalytics } from "~/teach/analytics.server";
import { requireCourseEditor } from "~/teach/ownership.server";
import { metaTitles } from "~/utils/meta";
import { Id, notFound, parseParams } from "~/utils/route.server";

const Params = z.object({ courseId: Id });

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => {
  const titles = metaTitles(matches);
  return [{ title: data ? `${data.course.title} · ${titles.teach}` : titles.site }];
};
export const handle = { i18n: ["teach"] };

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { courseId } = parseParams(params, Params);
  const user = await requireCourseEditor(request, courseId);
  const figures = await loadCourseAnalytics(user, courseId);
  if (!figures) throw notFound();
  return figures;
}

function share(value: number | null, lang: string): string {
  const whole = percent(value);
  return whole === null ? "—" : `${whole.toLocaleString(lang === "en" ? "en-GB" : "vi-VN")}%`;
}

export default function CourseAnalyticsPage() {
  const { course, enrolments, completions, completionRate, lessons, questions } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation("teach");
  const lng = i18n.language;
  const count = (n: number) => n.toLocaleString(lng === "en" ? "en-GB" : "vi-VN");
  const titleOf = (item: { title: string; titleEn: string | null; language: string }) => ({
    text: localized(lng, item.title, item.titleEn),
    lang: lng === "en" && item.titleEn ? "en" : item.language,
  });
  const courseTitle = titleOf(course);
  const lessonNumber = new Map(lessons.map((lesson, index) => [lesson.id, index + 1]));
  const measured = lessons.filter((l) => l.watchedShare !== null);
  const lowest = measured.reduce<(typeof lessons)[number] | null>(
    (low, l) => (low === null || l.watchedShare! < low.watchedShare! ? l : low),
    null,
  );
  const answeredQuestions = questions.filter((q) => q.rightShare !== null);

  return (
    <div className="page teach-page analytics-page">
      <p className="breadcrumbs">
        <Link to="/teach">{t("home.heading")}</Link> ›{" "}
        <Link to={`/teach/courses/${course.id}`} lang={courseTitle.lang}>
          {courseTitle.text}
        </Link>
      </p>
      <h1>{t("analytics.heading")}</h1>
      <p className="lead" lang={courseTitle.lang}>
        {courseTitle.text}
      </p>
      <p className="meta">{t("analytics.lead")}</p>

      <section aria-labelledby="analytics-totals">
        <h2 id="analytics-totals" className="visually-hidden">
          {t("analytics.totals")}
        </h2>
        <ul className="group-cards analytics-totals">
          <li className="card">
            <p className="meta">{t("analytics.enrolments")}</p>
            <p className="group-percent" data-testid="enrolments">
              {count(enrolments)}
            </p>
          </li>
          <li className="card">
            <p className="meta">{t("analytics.completions")}</p>
            <p className="group-percent" data-testid="completions">
              {count(completions)}
            </p>
          </li>
          <li className="card">
            <p className="meta">{t("analytics.completionRate")}</p>
            <p className="group-percent" data-testid="completion-rate">
              {share(completionRate, lng)}
            </p>
          </li>
        </ul>
      </section>

      <section aria-labelledby="analytics-watched" className="card">
        <h2 id="analytics-watched">{t("analytics.watchedHeading")}</h2>
        <p className="meta">{t("analytics.watchedLead")}</p>
        {lessons.length === 0 ? (
          <p>{t("analytics.noLessons")}</p>
        ) : (
          <ShareChart
            caption={t("analytics.watchedCaption")}
            summary={
              lowest
                ? t("analytics.watchedSummary", {
                    count: measured.length,
                    lowest: lessonNumber.get(lowest.id),
                    share: share(lowest.watchedShare, lng),
                  })
                : t("analytics.noFigures")
            }
            bars={measured.map((l) => ({
              label: t("analytics.lessonLabel", { n: lessonNumber.get(l.id) }),
              percent: percent(l.watchedShare)!,
            }))}
            table={
              <table className="table">
                <caption>{t("analytics.watchedCaption")}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t("analytics.lesson")}</th>
                    <th scope="col" className="num">
                      {t("analytics.started")}
                    </th>
                    <th scope="col" className="num">
                      {t("analytics.lessonCompleted")}
                    </th>
                    <th scope="col" className="num">
                      {t("analytics.watchedShare")}
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {lessons.map((lesson) => {
                    const title = titleOf(lesson);
                    return (
                      <tr key={lesson.id}>
                        <th scope="row">
                          {t("analytics.lessonLabel", { n: lessonNumber.get(lesson.id) })}:{" "}
                          <span lang={title.lang}>{title.text}</span>
                        </th>
                        <td className="num">{count(lesson.started)}</td>
                        <td className="num">{count(lesson.completed)}</td>
                        <td className="num">{share(lesson.watchedShare, lng)}</td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            }
          />
        )}
      </section>

      <section aria-labelledby="analytics-questions" className="card">
        <h2 id="analytics-questions">{t("analytics.questionsHeading")}</h2>
        <p className="meta">{t("analytics.questionsLead")}</p>
        {questions.length === 0 ? (
          <p>{t("analytics.noQuestions")}</p>
        ) : (
          <ShareChart
            caption={t("analytics.questionsCaption")}
            summary={t("analytics.questionsSummary", { count: answeredQuestions.length, total: questions.length })}
            bars={answeredQuestions.map((q) => ({
              label: t("analytics.questionLabel", {
                lesson: lessonNumber.get(q.lessonId),
                question: questions.filter((o) => o.lessonId === q.lessonId).indexOf(q) + 1,
              }),
              percent: percent(q.rightShare)!,
            }))}
            table={
              <table className="table">
                <caption>{t("analytics.questionsCaption")}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t("analytics.question")}</th>
                    <th scope="col" className="num">
                      {t("analytics.answered")}
                    </th>
                    <th scope="col" className="num">
                      {t("analytics.right")}
                    </th>
                    <th scope="col" className="num">
                      {t("analytics.rightShare")}
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {questions.map((q) => (
                    <tr key={`${q.lessonId}:${q.questionId}`}>
                      <th scope="row">
                        {t("analytics.questionLabel", {
                          lesson: lessonNumber.get(q.lessonId),
                          question: questions.filter((o) => o.lessonId === q.lessonId).indexOf(q) + 1,
                        })}
                        : <span lang={lessons.find((l) => l.id === q.lessonId)?.language}>{q.prompt}</span>
                      </th>
                      <td className="num">{count(q.answered)}</td>
                      <td className="num">{count(q.right)}</td>
                      <td className="num">{share(q.rightShare, lng)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            }
          />
        )}
      </section>
    </div>
  );
}
