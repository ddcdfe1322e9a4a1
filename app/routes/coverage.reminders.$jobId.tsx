import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useRevalidator } from "@remix-run/react";
import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import { reminderJob } from "~/coverage/reminders.server";
import { requireCoverageActor } from "~/coverage/scope.server";
import { notFound } from "~/utils/route.server";
import { pageTitle } from "~/utils/meta";

// A reminder job's progress, read from its Job row (whichever process runs
// it); the page polls while it is queued or running.

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "reminder") }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user } = await requireCoverageActor(request);
  const job = await reminderJob(params.jobId ?? "", user);
  if (!job) throw notFound();
  return { job };
}

export default function ReminderProgress() {
  const { job } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation("operations");
  const lang = i18n.language;
  const revalidator = useRevalidator();
  const working = job.status === "QUEUED" || job.status === "RUNNING";
  useEffect(() => {
    if (!working) return;
    const timer = setInterval(() => revalidator.state === "idle" && revalidator.revalidate(), 1000);
    return () => clearInterval(timer);
  }, [working, revalidator]);
  return (
    <>
      <h1>{t("reminders.progressTitle")}</h1>
      <p>
        <span className={`badge job-${job.status.toLowerCase()}`}>{t(`job.status.${job.status}`)}</span>
      </p>
      {working ? (
        <div role="status" aria-live="polite">
          <progress
            max={job.progressTotal || 1}
            value={job.status === "QUEUED" ? undefined : job.progressDone}
            aria-label={t("reminders.progressLabel")}
          />
          <p>
            {t("reminders.progress", {
              done: job.progressDone.toLocaleString(lang),
              total: job.progressTotal.toLocaleString(lang),
            })}
          </p>
        </div>
      ) : null}
      {job.status === "FAILED" ? (
        <p className="form-error" role="alert">
          {t("reminders.failed", { error: job.error ?? "" })}
        </p>
      ) : null}
      {job.status === "DONE" && job.result ? (
        <div role="status">
          <p className="notice success">{t("reminders.done", { count: job.result.sent })}</p>
          <ul>
            <li>
              {t("reminders.excluded.noEmail")}: {job.result.excluded.noEmail}
            </li>
            <li>
              {t("reminders.excluded.recent", { days: 7 })}: {job.result.excluded.recent}
            </li>
            <li>
              {t("reminders.excluded.optedOut")}: {job.result.excluded.optedOut}
            </li>
          </ul>
        </div>
      ) : null}
      <h2>{t("reminders.deliveryHeading")}</h2>
      <ul>
        {(["STORED", "QUEUED", "SENT", "FAILED"] as const).map((status) => (
          <li key={status}>
            {t(`delivery.${status}`)}: {(job.messages[status] ?? 0).toLocaleString(lang)}
          </li>
        ))}
      </ul>
      <p>
        <Link to="/coverage/follow-up">{t("reminders.toFollowUp")}</Link>
      </p>
    </>
  );
}
