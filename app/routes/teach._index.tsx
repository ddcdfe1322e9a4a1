import { Localized } from "~/components/localized-text";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { listAuthorCourses } from "~/teach/courses.server";
import { requireAuthor } from "~/teach/ownership.server";
import { formatDate } from "~/utils/format";
import { pageTitle } from "~/utils/meta";

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "teach") }];
export const handle = { i18n: ["teach"] };

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireAuthor(request);
  return { courses: await listAuthorCourses(user), isAdmin: user.role === "ADMIN" };
}

export default function TeachHome() {
  const { courses, isAdmin } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation("teach");
  const lng = i18n.language;
  return (
    <div className="page">
      <div className="teach-header">
        <h1>{t("home.heading")}</h1>
        <Link className="button" to="/teach/courses/new">
          {t("home.newCourse")}
        </Link>
      </div>
      <p className="lead">{isAdmin ? t("home.leadAdmin") : t("home.lead")}</p>
      {courses.length === 0 ? (
        <p className="empty">{t("home.empty")}</p>
      ) : (
        <table className="table">
          <caption className="visually-hidden">{t("home.tableCaption")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("home.course")}</th>
              <th scope="col">{t("home.convention")}</th>
              <th scope="col">{t("home.status")}</th>
              <th scope="col" className="num">
                {t("home.lessons")}
              </th>
              <th scope="col" className="num">
                {t("home.learners")}
              </th>
              <th scope="col">{t("home.updated")}</th>
            </tr>
          </thead>
          <tbody>
            {courses.map((course) => (
              <tr key={course.id}>
                <th scope="row">
                  <Link to={`/teach/courses/${course.id}`}>
                    <Localized vi={course.title} en={course.titleEn} />
                  </Link>
                </th>
                <td>{course.convention.code}</td>
                <td>
                  <span className={course.status === "PUBLISHED" ? "badge success" : "badge"}>
                    {t(`status.${course.status}`)}
                  </span>
                </td>
                <td className="num">{course._count.lessons}</td>
                <td className="num">{course._count.enrolments}</td>
                <td>{formatDate(course.updatedAt, lng)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
