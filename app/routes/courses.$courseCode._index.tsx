import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { getOptionalUser, requireUser } from "~/auth/auth.server";
import { enrol, getCourseForVisitor } from "~/catalog/catalog.server";
import { ProgressBar } from "~/components/progress-bar";
import { localized } from "~/i18n";
import { Localized } from "~/components/localized-text";
import { formatClock, formatDate, languageName } from "~/utils/format";
import { notFound, parseParams } from "~/utils/route.server";

const Params = z.object({ courseCode: z.string().regex(/^[a-z0-9-]{1,80}$/) });

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.course.title} · Tập huấn` : "Tập huấn" },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { courseCode } = parseParams(params, Params);
  const user = await getOptionalUser(request);
  const course = await getCourseForVisitor(courseCode, user);
  if (!course) throw notFound();
  return { course, signedIn: user !== null };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { courseCode } = parseParams(params, Params);
  const user = await requireUser(request);
  const enrolment = await enrol(user.id, courseCode);
  if (!enrolment) throw notFound();
  const course = await getCourseForVisitor(courseCode, user);
  const first = course?.lessons[0];
  return redirect(first ? `/courses/${courseCode}/${first.slug}` : `/courses/${courseCode}`);
}

export default function CoursePage() {
  const { course, signedIn } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation("learn");
  const lng = i18n.language;
  const done = course.lessons.filter((l) => l.completedAt).length;
  const resume = course.lessons.find((l) => !l.completedAt) ?? course.lessons[0];
  const firstPreview = course.lessons.find((l) => l.isPreview);
  return (
    <div className="page">
      <p className="breadcrumbs">
        <Link to="/">{t("common:nav.catalog")}</Link> ›{" "}
        <Link to={`/#${course.convention.code.toLowerCase()}`}>{course.convention.code}</Link>
      </p>
      {course.coverAssetId ? <img className="course-cover" src={`/media/${course.coverAssetId}`} alt="" /> : null}
      <h1 lang={course.language}>{course.title}</h1>
      {course.titleEn && lng === "en" ? (
        <p className="subtitle" lang="en">
          {course.titleEn}
        </p>
      ) : null}
      <p className="lead">
        <Localized vi={course.summary} en={course.summaryEn} />
      </p>
      <p className="meta">
        {localized(lng, course.convention.nameVi, course.convention.nameEn)} · {languageName(course.language, lng)}
      </p>

      <div className="course-actions">
        {course.completion ? (
          <p className="badge success">
            {t("courseCompleted", { date: formatDate(course.completion.completedAt, lng) })}{" "}
            <Link to={`/certificates/${course.completion.certificateCode}`}>{t("viewCertificate")}</Link>
          </p>
        ) : null}
        {course.enrolledAt && resume ? (
          <>
            <ProgressBar
              value={done}
              max={course.lessons.length}
              label={t("lessonsDone", { done, total: course.lessons.length })}
            />
            <Link className="button" to={`/courses/${course.code}/${resume.slug}`}>
              {done === 0 ? t("start") : t("resume")}
            </Link>
          </>
        ) : signedIn ? (
          <Form method="post">
            <button type="submit" className="button">
              {t("enrol")}
            </button>
            {firstPreview ? (
              <>
                {" "}
                <Link
                  className="button secondary"
                  to={`/courses/${course.code}/${firstPreview.slug}`}
                  data-testid="watch-preview"
                >
                  {t("preview.watch")}
                </Link>
              </>
            ) : null}
          </Form>
        ) : (
          <p>
            <Link className="button" to={`/signup?redirectTo=${encodeURIComponent(`/courses/${course.code}`)}`}>
              {t("signupToEnrol")}
            </Link>{" "}
            <Link to={`/login?redirectTo=${encodeURIComponent(`/courses/${course.code}`)}`}>
              {t("common:auth.login")}
            </Link>
            {firstPreview ? (
              <>
                {" "}
                <Link
                  className="button secondary"
                  to={`/courses/${course.code}/${firstPreview.slug}`}
                  data-testid="watch-preview"
                >
                  {t("preview.watch")}
                </Link>
              </>
            ) : null}
          </p>
        )}
      </div>

      <h2>{t("lessons")}</h2>
      <ol className="lesson-list">
        {course.lessons.map((lesson) => (
          <li key={lesson.id}>
            <div className="lesson-row">
              <span className="lesson-title" lang={lesson.language}>
                {course.enrolledAt || lesson.isPreview ? (
                  <Link to={`/courses/${course.code}/${lesson.slug}`}>{lesson.title}</Link>
                ) : (
                  lesson.title
                )}
                {lng === "en" && lesson.titleEn ? (
                  <span className="subtitle" lang="en">
                    {" "}
                    — {lesson.titleEn}
                  </span>
                ) : null}
              </span>
              <span className="meta">
                <span aria-label={t("duration")}>{formatClock(lesson.durationSeconds ?? 0)}</span> ·{" "}
                {languageName(lesson.language, lng)}
                {lesson.hasQuiz ? ` · ${t("hasQuiz")}` : ""}
                {lesson.captionLanguages.length ? ` · ${t("captions")}` : ""}
              </span>
              {!course.enrolledAt && lesson.isPreview ? (
                <span className="badge" data-testid="lesson-preview-badge">
                  {t("preview.badge")}
                </span>
              ) : null}
              {course.enrolledAt ? (
                <span className={lesson.completedAt ? "badge success" : "badge"}>
                  {lesson.completedAt ? t("completed") : t("watched", { percent: lesson.watchedPercent })}
                </span>
              ) : null}
            </div>
          </li>
        ))}
      </ol>
    </div>
  );
}
