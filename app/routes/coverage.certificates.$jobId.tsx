import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useRevalidator } from "@remix-run/react";
import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import { certificateExportJob, exportCourse } from "~/certificates/export.server";
import { isoOfDay } from "~/coverage/dates";
import { requireCoverageActor } from "~/coverage/scope.server";
import { Localized } from "~/components/localized-text";
import { formatDate, formatDateTime } from "~/utils/format";
import { notFound } from "~/utils/route.server";
import { pageTitle } from "~/utils/meta";

// A certificate export's progress, read from its Job row (whichever process
// runs it); the page polls while it is queued or running, then offers the ZIP.

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "certificateExport") }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, actor } = await requireCoverageActor(request);
  const job = await certificateExportJob(params.jobId ?? "", { id: user.id, actor });
  if (!job) throw notFound();
  const course = job.filter?.courseId ? await exportCourse(job.filter.courseId) : null;
  const { fromDay, toDay } = job.filter ?? {};
  return {
    job,
    course,
    from: fromDay !== undefined ? isoOfDay(fromDay) : null,
    to: toDay !== undefined ? isoOfDay(toDay) : null,
  };
}

function fileSize(bytes: number, lng: string) {
  return bytes < 1_000_000
    ? `${Math.max(1, Math.round(bytes / 1000)).toLocaleString(lng)} KB`
    : `${(bytes / 1_000_000).toLocaleString(lng, { maximumFractionDigits: 1 })} MB`;
}

export default function CertificateExportProgress() {
  const { job, course, from, to } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation("certificates");
  const lng = i18n.language;
  const revalidator = useRevalidator();
  const working = job.status === "QUEUED" || job.status === "RUNNING";
  useEffect(() => {
    if (!working) return;
    const timer = setInterval(() => revalidator.state === "idle" && revalidator.revalidate(), 1000);
    return () => clearInterval(timer);
  }, [working, revalidator]);
  return (
    <>
      <h1>{t("export.progressTitle")}</h1>
      <dl className="facts">
        <dt>{t("export.course")}</dt>
        <dd>
          {course ? (
            <>
              {course.convention.code} — <Localized vi={course.title} en={course.titleEn} />
            </>
          ) : (
            t("export.allCourses")
          )}
        </dd>
        <dt>{t("export.period")}</dt>
        <dd>
          {from || to
            ? t("export.periodValue", { from: from ? formatDate(from, lng) : "…", to: to ? formatDate(to, lng) : "…" })
            : t("export.anyTime")}
        </dd>
        <dt>{t("export.statusHeading")}</dt>
        <dd>
          <span className={`badge job-${job.status.toLowerCase()}`}>{t(`export.status.${job.status}`)}</span>
        </dd>
      </dl>
      {working ? (
        <div role="status" aria-live="polite">
          <progress
            max={job.progressTotal || 1}
            value={job.status === "QUEUED" ? undefined : job.progressDone}
            aria-label={t("export.progressLabel")}
          />
          <p>
            {t("export.progress", {
              done: job.progressDone.toLocaleString(lng),
              total: job.progressTotal.toLocaleString(lng),
            })}
          </p>
        </div>
      ) : null}
      {job.status === "FAILED" ? (
        <p className="form-error" role="alert">
          {t("export.failed", { error: job.error ?? "" })}
        </p>
      ) : null}
      {job.status === "DONE" && job.result ? (
        <div role="status" aria-live="polite">
          <p className="notice success">
            {t("export.done", {
              count: job.result.count,
              number: job.result.count.toLocaleString(lng),
              revoked: job.result.revoked.toLocaleString(lng),
              size: fileSize(job.result.bytes, lng),
            })}
          </p>
          {job.downloadable ? (
            <p>
              <a className="button" href={`/coverage/certificates/${job.id}.zip`} download>
                {t("export.download")}
              </a>{" "}
              <span className="meta">{t("export.keptUntil", { time: formatDateTime(job.result.expiresAt, lng) })}</span>
            </p>
          ) : (
            <p className="notice warning">{t("export.gone")}</p>
          )}
          <p className="hint">{t("export.contents")}</p>
        </div>
      ) : null}
      <p>
        <Link to="/coverage/certificates">{t("export.back")}</Link>
      </p>
    </>
  );
}
