import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import {
  EXPORT_LIMIT,
  exportableCourses,
  parseExportForm,
  recentCertificateExports,
  startCertificateExport,
} from "~/certificates/export.server";
import { isNational, requireCoverageActor } from "~/coverage/scope.server";
import { fallbackLang, isLanguage, localized } from "~/i18n";
import i18nextServer from "~/i18next.server";
import { formatDateTime } from "~/utils/format";
import { readForm } from "~/utils/read-form.server";
import { refused } from "~/utils/forms";
import { pageTitle } from "~/utils/meta";

// The coordinators' certificate export: pick a course and/or a period of
// completion; a job renders the PDFs of the people in the coordinator's scope
// into a ZIP with a CSV, and its page shows the progress and the download.

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "certificateExport") }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { user, actor } = await requireCoverageActor(request);
  const [courses, exports] = await Promise.all([exportableCourses(), recentCertificateExports({ id: user.id, actor })]);
  return { courses, exports, national: isNational(actor), limit: EXPORT_LIMIT };
}

export async function action({ request }: ActionFunctionArgs) {
  const { user, actor } = await requireCoverageActor(request);
  const form = await readForm(request);
  const parsed = await parseExportForm(Object.fromEntries([...form].filter(([, v]) => typeof v === "string")));
  if (!parsed.ok) return refused(parsed.error);
  const locale = await i18nextServer.getLocale(request);
  const outcome = await startCertificateExport(actor, user.id, parsed.filter, isLanguage(locale) ? locale : "vi");
  if (!outcome.ok) return refused(`export.${outcome.reason}`, { count: outcome.count });
  return redirect(`/coverage/certificates/${outcome.jobId}`);
}

export default function CertificateExport() {
  const { courses, exports, national, limit } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const refusal = result?.status === "invalid" ? result.formError : undefined;
  const busy = useNavigation().state !== "idle";
  const { t, i18n } = useTranslation("certificates");
  const lng = i18n.language;
  return (
    <>
      <h1>{t("export.title")}</h1>
      <p className="lead">{t("export.lead", { limit: limit.toLocaleString(lng) })}</p>
      <p className="hint">{national ? t("export.scopeNational") : t("export.scopeUnit")}</p>
      {refusal ? (
        <p className="form-error" role="alert" id="export-error">
          {t(refusal.key, {
            number: Number(refusal.values?.count ?? 0).toLocaleString(lng),
            limit: limit.toLocaleString(lng),
          })}
        </p>
      ) : null}
      <Form method="post" className="stack card" aria-describedby={refusal ? "export-error" : undefined}>
        <div className="field">
          <label htmlFor="export-course">{t("export.course")}</label>
          <select id="export-course" name="course" defaultValue="">
            <option value="">{t("export.allCourses")}</option>
            {courses.map((course) => (
              <option key={course.id} value={course.id} lang={fallbackLang(lng, course.titleEn)}>
                {course.convention.code} — {localized(lng, course.title, course.titleEn)}
              </option>
            ))}
          </select>
        </div>
        <fieldset className="field">
          <legend>{t("export.period")}</legend>
          <p className="hint" id="export-period-hint">
            {t("export.periodHint")}
          </p>
          <label htmlFor="export-from">{t("export.from")}</label>{" "}
          <input id="export-from" type="date" name="from" aria-describedby="export-period-hint" />{" "}
          <label htmlFor="export-to">{t("export.to")}</label>{" "}
          <input id="export-to" type="date" name="to" aria-describedby="export-period-hint" />
        </fieldset>
        <div>
          <button type="submit" className="button" disabled={busy}>
            {t("export.start")}
          </button>
        </div>
      </Form>
      <section aria-labelledby="recent-exports">
        <h2 id="recent-exports">{t("export.recent")}</h2>
        {exports.length === 0 ? (
          <p className="empty">{t("export.none")}</p>
        ) : (
          <table className="table">
            <caption className="visually-hidden">{t("export.recentCaption")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("export.requestedAt")}</th>
                <th scope="col">{t("export.statusHeading")}</th>
                <th scope="col">{t("export.certificates")}</th>
                <th scope="col">
                  <span className="visually-hidden">{t("export.open")}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {exports.map((job) => (
                <tr key={job.id}>
                  <td>{formatDateTime(job.createdAt, lng)}</td>
                  <td>{t(`export.status.${job.status}`)}</td>
                  <td className="num">
                    {job.result
                      ? job.result.count.toLocaleString(lng)
                      : job.progressTotal
                        ? `${job.progressDone}/${job.progressTotal}`
                        : "—"}
                  </td>
                  <td>
                    <Link to={`/coverage/certificates/${job.id}`}>{t("export.open")}</Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}
