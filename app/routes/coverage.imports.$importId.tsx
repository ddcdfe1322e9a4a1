import { TableScroll } from "~/components/table-scroll";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useRevalidator } from "@remix-run/react";
import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { ExportLinks } from "~/components/coverage/export-links";
import { Pager } from "~/components/coverage/pager";
import {
  keptRejects,
  parseStoredFailure,
  parseStoredProblems,
  progressKey,
  rejectPage,
  type ImportPhase,
  type ImportProgress,
} from "~/coverage/imports.server";
import { getJob } from "~/jobs/queue.server";
import { requireCoverageActor } from "~/coverage/scope.server";
import { visibleImport } from "~/coverage/upload.server";
import { notFound } from "~/utils/route.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.record.fileName ?? ""} · Tập huấn` }];

const Params = z.object({ importId: z.string().regex(/^[A-Za-z0-9]{1,40}$/) });
// Rejects are shown a stored page at a time.
const RejectsQuery = z.object({ page: z.coerce.number().int().min(1).max(1_000_000).catch(1) });

/** The job's progress and the message that says it. */
const withKey = (progress: ImportProgress) => ({ ...progress, key: progressKey(progress) });

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, actor } = await requireCoverageActor(request);
  const parsed = Params.safeParse(params);
  const record = parsed.success ? await visibleImport(actor, user.id, parsed.data.importId) : null;
  if (!record) throw notFound();
  const { page } = RejectsQuery.parse({ page: new URL(request.url).searchParams.get("page") ?? undefined });
  const [kept, rejects] = await Promise.all([keptRejects(record.id), rejectPage(record.id, page)]);
  const problems = Object.entries(parseStoredProblems(record.rejectProblems)).sort((a, b) => b[1] - a[1]);
  // Progress lives on the job row, so any server process can show it.
  const job = record.status === "RUNNING" && record.jobId ? await getJob(record.jobId) : null;
  return {
    record: {
      id: record.id,
      kind: record.kind,
      fileName: record.fileName,
      status: record.status,
      strict: record.strict,
      totalRows: record.totalRows,
      processedRows: record.processedRows,
      acceptedRows: record.acceptedRows,
      rejectedRows: record.rejectedRows,
      createdRows: record.createdRows,
      updatedRows: record.updatedRows,
      unchangedRows: record.unchangedRows,
    },
    progress:
      job?.status === "RUNNING" && job.progressPhase
        ? withKey({ phase: job.progressPhase as ImportPhase, done: job.progressDone, total: job.progressTotal })
        : null,
    job: job
      ? {
          status: job.status,
          attempts: job.attempts,
          resumed: job.attempts > 1 || (job.status === "QUEUED" && job.error !== null),
        }
      : null,
    failure: parseStoredFailure(record.message),
    rejects,
    rejectCount: record.rejectCount,
    problems,
    kept,
    page,
  };
}

export default function ImportResult() {
  const { record, progress, job, failure, rejects, rejectCount, problems, kept, page } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation("coverage");
  const lang = i18n.language;
  const revalidator = useRevalidator();
  const running = record.status === "RUNNING";
  useEffect(() => {
    if (!running) return;
    // Poll while the import runs; a 200,000-row roster takes several seconds.
    const timer = setInterval(() => revalidator.state === "idle" && revalidator.revalidate(), 1000);
    return () => clearInterval(timer);
  }, [running, revalidator]);
  const percent = progress && progress.total ? Math.round((progress.done / progress.total) * 100) : 0;
  return (
    <>
      <h1>{t("importResult.title", { file: record.fileName })}</h1>
      <p>
        <span className={`badge import-${record.status.toLowerCase()}`}>
          {t(`importResult.status.${record.status}`)}
        </span>{" "}
        <span className="meta">{t(`import.kind.${record.kind}`)}</span>
      </p>
      {running ? (
        <div className="import-progress" role="status" aria-live="polite">
          {progress ? (
            <>
              <progress
                max={100}
                value={progress.phase === "reading" || progress.total === 0 ? undefined : percent}
                aria-label={t(`importResult.phase.${progress.key}`, progress)}
              />
              <p>
                {t(`importResult.phase.${progress.key}`, {
                  done: progress.done.toLocaleString(lang),
                  total: progress.total.toLocaleString(lang),
                })}
              </p>
            </>
          ) : (
            <p>{t(job?.status === "QUEUED" ? "importResult.queued" : "importResult.elsewhere")}</p>
          )}
          {job?.resumed ? <p className="meta">{t("importResult.resumed")}</p> : null}
        </div>
      ) : null}
      {failure ? (
        <div className="form-error" role="alert">
          <p>{t(`file.${failure.reason}`, failure.params)}</p>
          {failure.reason === "interrupted" ? null : <p>{t("importResult.nothingChanged")}</p>}
        </div>
      ) : null}
      {record.status === "DONE" ? (
        <p className="notice success" role="status">
          {t("importResult.summary", {
            total: record.totalRows,
            created: record.createdRows,
            updated: record.updatedRows,
            unchanged: record.unchangedRows,
            rejected: record.rejectedRows,
          })}
        </p>
      ) : null}
      {rejectCount > 0 || kept.rejects > 0 ? (
        <section aria-labelledby="rejects-heading">
          <h2 id="rejects-heading">{t("importResult.rejectsHeading")}</h2>
          {rejectCount > 0 ? (
            <>
              <p>{t("importResult.problemsTotal", { count: rejectCount, rows: record.rejectedRows })}</p>
              <table className="table">
                <caption>{t("importResult.problemsCaption")}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t("importResult.problemsKind")}</th>
                    <th scope="col" className="num">
                      {t("importResult.problemsCount")}
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {problems.map(([reason, count]) => (
                    <tr key={reason}>
                      <th scope="row">{t([`rejectKind.${reason}`, `reject.${reason}`])}</th>
                      <td className="num">{count.toLocaleString(lang)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          ) : null}
          <ExportLinks table="rejects" params={{ import: record.id }} label={t("importResult.rejectsHeading")} />
          {rejectCount > kept.rejects && !running ? (
            <p className="meta">{t("importResult.rejectsKept", { kept: kept.rejects.toLocaleString(lang) })}</p>
          ) : null}
          <TableScroll label={t("importResult.rejectsCaption")}>
            <table className="table">
              <caption>{t("importResult.rejectsCaption")}</caption>
              <thead>
                <tr>
                  <th scope="col" className="num">
                    {t("columns.row")}
                  </th>
                  <th scope="col">{t("columns.field")}</th>
                  <th scope="col">{t("columns.value")}</th>
                  <th scope="col">{t("columns.reason")}</th>
                </tr>
              </thead>
              <tbody>
                {rejects.map((r, i) => (
                  <tr key={i}>
                    <th scope="row" className="num">
                      {r.row}
                    </th>
                    <td>
                      <code>{r.field}</code>
                    </td>
                    <td>{r.value}</td>
                    <td>{t(`reject.${r.reason}`, r.params ?? {})}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
          <Pager page={page} total={kept.pages} pageSize={1} />
        </section>
      ) : null}
      {!running ? (
        <p>
          <Link to="/coverage/import" className="button secondary">
            {t("importResult.again")}
          </Link>
        </p>
      ) : null}
    </>
  );
}
