import { TableScroll } from "~/components/table-scroll";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useLocation } from "@remix-run/react";
import { useId } from "react";
import { useTranslation } from "react-i18next";
import { AUDIT_ACTIONS } from "~/audit/audit.server";
import {
  AUDIT_PAGE_SIZE,
  COVERAGE_AUDIT_ACTIONS,
  listAudit,
  parseAuditQuery,
  unitNames,
} from "~/coverage/audit-trail.server";
import { Pager } from "~/components/coverage/pager";
import { requireCoverageActor } from "~/coverage/scope.server";
import { pageTitle } from "~/utils/meta";

// The audit trail: who did what, newest first, within the reader's scope
// (app/coverage/audit-trail.server.ts says who sees which entries).

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "audit") }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { user, actor } = await requireCoverageActor(request);
  const query = parseAuditQuery(new URL(request.url));
  const { total, entries } = await listAudit(actor, query, {
    limit: AUDIT_PAGE_SIZE,
    offset: (query.page - 1) * AUDIT_PAGE_SIZE,
  });
  return {
    query,
    total,
    entries,
    names: await unitNames(entries),
    actions: user.role === "ADMIN" ? [...AUDIT_ACTIONS] : [...COVERAGE_AUDIT_ACTIONS],
    pageSize: AUDIT_PAGE_SIZE,
  };
}

function Details({ details }: { details: Record<string, unknown> }) {
  const entries = Object.entries(details);
  if (entries.length === 0) return null;
  return (
    <dl className="audit-details">
      {entries.map(([key, value]) => (
        <div key={key}>
          <dt>{key}</dt>
          <dd>{typeof value === "string" ? value : JSON.stringify(value)}</dd>
        </div>
      ))}
    </dl>
  );
}

export default function AuditTrail() {
  const { query, total, entries, names, actions, pageSize } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation("operations");
  const lang = i18n.language;
  const id = useId();
  const location = useLocation();
  const exportSearch = new URLSearchParams(location.search);
  exportSearch.delete("page");
  const time = (iso: string) =>
    new Intl.DateTimeFormat(lang === "en" ? "en-GB" : "vi-VN", {
      dateStyle: "medium",
      timeStyle: "short",
      timeZone: "Asia/Ho_Chi_Minh",
    }).format(new Date(iso));
  return (
    <div className="page">
      <h1>{t("audit.title")}</h1>
      <p className="lead">{t("audit.lead")}</p>
      <p>
        <Link to="/coverage">{t("audit.toCoverage")}</Link>
      </p>
      <Form method="get" className="coverage-controls" role="search" aria-label={t("audit.filters")}>
        <div className="field">
          <label htmlFor={`${id}-action`}>{t("audit.columns.action")}</label>
          <select id={`${id}-action`} name="action" defaultValue={query.action ?? ""}>
            <option value="">{t("audit.allActions")}</option>
            {actions.map((a) => (
              <option key={a} value={a}>
                {t(`audit.action.${a}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-actor`}>{t("audit.actorEmail")}</label>
          <input id={`${id}-actor`} name="actor" type="search" defaultValue={query.actor ?? ""} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-target`}>{t("audit.target")}</label>
          <input id={`${id}-target`} name="target" type="search" defaultValue={query.target ?? ""} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-from`}>{t("audit.from")}</label>
          <input id={`${id}-from`} name="from" type="date" defaultValue={query.from ?? ""} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-to`}>{t("audit.to")}</label>
          <input id={`${id}-to`} name="to" type="date" defaultValue={query.to ?? ""} />
        </div>
        <button type="submit" className="button">
          {t("audit.apply")}
        </button>
      </Form>
      <p className="meta" role="status">
        {t("audit.count", { count: total })}
      </p>
      {entries.length === 0 ? (
        <p className="empty">{t("audit.none")}</p>
      ) : (
        <TableScroll label={t("audit.caption")}>
          <table className="table">
            <caption className="visually-hidden">{t("audit.caption")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("audit.columns.at")}</th>
                <th scope="col">{t("audit.columns.actor")}</th>
                <th scope="col">{t("audit.columns.action")}</th>
                <th scope="col">{t("audit.columns.target")}</th>
                <th scope="col">{t("audit.columns.unit")}</th>
                <th scope="col">{t("audit.columns.details")}</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => (
                <tr key={e.id}>
                  <td>
                    <time dateTime={e.at}>{time(e.at)}</time>
                  </td>
                  <td>{e.actorEmail ?? t("audit.system")}</td>
                  <th scope="row">{t(`audit.action.${e.action}`, { defaultValue: e.action })}</th>
                  <td>{e.targetType ? `${e.targetType}: ${e.targetId ?? ""}` : "—"}</td>
                  <td>
                    {[e.provinceId, e.agencyId].flatMap((u) => (u ? [names[u] ?? u] : [])).join(" · ") ||
                      t("audit.national")}
                  </td>
                  <td>
                    <Details details={e.details} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      <Pager page={query.page} total={total} pageSize={pageSize} />
      <p className="export-links">
        <a href={`/audit/export?${exportSearch}`} download>
          {t("audit.exportCsv")}
        </a>
      </p>
    </div>
  );
}
