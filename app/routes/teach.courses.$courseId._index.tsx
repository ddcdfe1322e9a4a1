import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useNavigation, useRevalidator } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import type { ActionFeedback } from "~/components/action-feedback";
import { CourseCoverSection } from "~/components/teach/course-cover-section";
import { CourseDetailsSection } from "~/components/teach/course-details-section";
import { CourseExportSection } from "~/components/teach/course-export-section";
import { CourseLessonsSection } from "~/components/teach/course-lessons-section";
import { CourseOwnersSection } from "~/components/teach/course-owners-section";
import { CoursePublishSection } from "~/components/teach/course-publish-section";
import { answerCourseEditor, CourseEditorInput } from "~/teach/course-editor-actions.server";
import { getCourseForAuthor, listConventions } from "~/teach/courses.server";
import { listOwners, requireCourseEditor } from "~/teach/ownership.server";
import { checkCourse } from "~/teach/publish.server";
import { formatDate } from "~/utils/format";
import { refused } from "~/utils/forms";
import { readForm } from "~/utils/read-form.server";
import { Id, parseParams } from "~/utils/route.server";
import { metaTitles } from "~/utils/meta";

const Params = z.object({ courseId: Id });

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => {
  const titles = metaTitles(matches);
  return [{ title: data ? `${data.course.title} · ${titles.teach}` : titles.site }];
};
export const handle = { i18n: ["teach"] };

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { courseId } = parseParams(params, Params);
  const user = await requireCourseEditor(request, courseId);
  const [course, issues, owners, conventions] = await Promise.all([
    getCourseForAuthor(courseId),
    checkCourse(courseId),
    listOwners(courseId),
    listConventions(),
  ]);
  return { course, issues, owners, conventions, canManageOwners: user.role === "ADMIN" };
}

export async function action({ request, params }: ActionFunctionArgs): Promise<ActionFeedback> {
  const { courseId } = parseParams(params, Params);
  const user = await requireCourseEditor(request, courseId);
  const form = Object.fromEntries(await readForm(request));
  const parsed = CourseEditorInput.safeParse(form);
  if (!parsed.success) return refused("errors.invalidForm", undefined, "unknown");
  return answerCourseEditor({ actor: user, courseId, form }, parsed.data);
}

export default function CourseEditor() {
  const { course, issues, owners, conventions, canManageOwners } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const { t, i18n } = useTranslation("teach");
  const lng = i18n.language;
  const busy = useNavigation().state === "submitting";
  const revalidator = useRevalidator();
  const published = course.status === "PUBLISHED";

  return (
    <div className="page teach-page">
      <p className="breadcrumbs">
        <Link to="/teach">{t("home.heading")}</Link> › {course.convention.code}
      </p>
      <div className="teach-header">
        <div>
          <h1 lang={course.language}>{course.title}</h1>
          <p className="meta">
            <span className={published ? "badge success" : "badge"}>{t(`status.${course.status}`)}</span>{" "}
            {published && course.publishedAt
              ? t("publish.publishedOn", { date: formatDate(course.publishedAt, lng) })
              : null}{" "}
            · {t("course.learners", { count: course._count.enrolments })}
          </p>
        </div>
        <div className="teach-header-links">
          <Link className="button secondary" to={`/teach/courses/${course.id}/analytics`}>
            {t("analytics.open")}
          </Link>
          <Link className="button secondary" to={`/teach/courses/${course.id}/preview`}>
            {t("preview.open")}
          </Link>
        </div>
      </div>
      <CoursePublishSection courseId={course.id} published={published} issues={issues} data={data} busy={busy} />
      <CourseLessonsSection course={course} data={data} busy={busy} />
      <CourseDetailsSection
        code={course.code}
        values={{ ...course, convention: course.convention.code }}
        conventions={conventions}
        data={data}
        busy={busy}
      />
      <CourseCoverSection
        courseId={course.id}
        coverAssetId={course.coverAssetId}
        onStored={() => revalidator.revalidate()}
      />
      <CourseOwnersSection owners={owners} canManageOwners={canManageOwners} data={data} busy={busy} />
      <CourseExportSection code={course.code} />
    </div>
  );
}
