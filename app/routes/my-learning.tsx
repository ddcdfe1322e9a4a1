import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireUser } from "~/auth/auth.server";
import { ProgressBar } from "~/components/progress-bar";
import { localized } from "~/i18n";
import { listMyLearning } from "~/learning/my-learning.server";
import { formatClock, formatDate } from "~/utils/format";

export const meta: MetaFunction = () => [{ title: "Việc học của tôi · Tập huấn" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  return { courses: await listMyLearning(user.id) };
}

export default function MyLearning() {
  const { courses } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation("learn");
  const lng = i18n.language;
  return (
    <div className="page">
      <h1>{t("myLearning.heading")}</h1>
      {courses.length === 0 ? (
        <p className="empty">
          {t("myLearning.empty")} <Link to="/">{t("myLearning.browse")}</Link>
        </p>
      ) : null}
      {courses.map(({ course, lessons, completedLessons, completion, resumeSlug, enrolledAt }) => (
        <section key={course.code} className="card my-course" aria-labelledby={`course-${course.code}`}>
          <header className="my-course-header">
            <div>
              <p className="convention-code">{course.convention}</p>
              <h2 id={`course-${course.code}`}>
                <Link to={`/courses/${course.code}`}>{localized(lng, course.title, course.titleEn)}</Link>
              </h2>
              <p className="meta">{t("myLearning.enrolledOn", { date: formatDate(enrolledAt, lng) })}</p>
            </div>
            {course.available && resumeSlug ? (
              <Link className="button" to={`/courses/${course.code}/${resumeSlug}`}>
                {completion ? t("review") : t("resume")}
              </Link>
            ) : null}
          </header>
          <ProgressBar value={completedLessons} max={lessons.length} label={t("lessonsDone", { done: completedLessons, total: lessons.length })} />
          {completion ? (
            <p className="badge success">
              {t("courseCompleted", { date: formatDate(completion.completedAt, lng) })}{" "}
              <Link to={`/certificates/${completion.certificateCode}`}>{t("viewCertificate")}</Link>
            </p>
          ) : null}
          <table className="table">
            <caption className="visually-hidden">{t("myLearning.lessonTable")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("myLearning.lesson")}</th>
                <th scope="col">{t("duration")}</th>
                <th scope="col">{t("myLearning.progress")}</th>
                <th scope="col">{t("myLearning.completedOn")}</th>
              </tr>
            </thead>
            <tbody>
              {lessons.map((lesson) => (
                <tr key={lesson.id}>
                  <td>
                    {course.available ? (
                      <Link to={`/courses/${course.code}/${lesson.slug}`}>{localized(lng, lesson.title, lesson.titleEn)}</Link>
                    ) : (
                      localized(lng, lesson.title, lesson.titleEn)
                    )}
                  </td>
                  <td>{formatClock(lesson.durationSeconds ?? 0)}</td>
                  <td>{lesson.watchedPercent}%</td>
                  <td>{lesson.completedAt ? formatDate(lesson.completedAt, lng) : "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ))}
    </div>
  );
}
