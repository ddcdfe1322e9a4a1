import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { PreviewBanner } from "~/components/preview-banner";
import { localized } from "~/i18n";
import { Localized } from "~/components/localized-text";
import { requireCourseEditor } from "~/teach/ownership.server";
import { getCourseForAuthor } from "~/teach/courses.server";
import { formatClock, languageName } from "~/utils/format";
import { Id, parseParams } from "~/utils/route.server";
import { metaTitles } from "~/utils/meta";

const Params = z.object({ courseId: Id });

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => {
  const titles = metaTitles(matches);
  return [{ title: data ? `${data.course.title} · ${titles.preview}` : titles.site }];
};
export const handle = { i18n: ["teach", "learn"] };

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { courseId } = parseParams(params, Params);
  await requireCourseEditor(request, courseId);
  return { course: await getCourseForAuthor(courseId) };
}

export default function CoursePreview() {
  const { course } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation("teach");
  const lng = i18n.language;
  return (
    <div className="page">
      <PreviewBanner courseId={course.id} status={course.status} />
      <p className="breadcrumbs">{course.convention.code}</p>
      {course.coverAssetId ? <img className="course-cover" src={`/media/${course.coverAssetId}`} alt="" /> : null}
      <h1 lang={course.language}>{course.title}</h1>
      {course.titleEn && lng === "en" ? <p className="subtitle">{course.titleEn}</p> : null}
      <p className="lead">
        <Localized vi={course.summary} en={course.summaryEn} />
      </p>
      <p className="meta">
        {localized(lng, course.convention.nameVi, course.convention.nameEn)} · {languageName(course.language, lng)}
      </p>
      <h2>{t("learn:lessons")}</h2>
      <ol className="lesson-list">
        {course.lessons.map((lesson) => (
          <li key={lesson.id}>
            <div className="lesson-row">
              <span className="lesson-title" lang={lesson.language}>
                <Link to={`/teach/courses/${course.id}/preview/${lesson.id}`}>{lesson.title}</Link>
              </span>
              <span className="meta">
                {formatClock(lesson.durationSeconds ?? 0)} · {languageName(lesson.language, lng)}
                {lesson.quiz ? ` · ${t("learn:hasQuiz")}` : ""}
                {lesson._count.captions ? ` · ${t("learn:captions")}` : ""}
              </span>
            </div>
          </li>
        ))}
      </ol>
    </div>
  );
}
