import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { useId } from "react";
import { useTranslation } from "react-i18next";
import { SelectField } from "~/components/fields";
import { ExportLinks } from "~/components/coverage/export-links";
import { Pager } from "~/components/coverage/pager";
import { PeopleTable } from "~/components/coverage/people-table";
import { coveragePage } from "~/coverage/page.server";
import { PAGE_SIZE } from "~/coverage/paging";
import { listRoster } from "~/coverage/roster.server";
import { pageOf } from "~/coverage/tables.server";
import { pageTitle } from "~/utils/meta";

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "roster") }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { actor, query } = await coveragePage(request);
  const { total, people } = await listRoster(actor, { q: query.q, linked: query.linked }, pageOf(query));
  return { total, people, q: query.q ?? "", linked: query.linked ?? "", page: query.page };
}

export default function Roster() {
  const data = useLoaderData<typeof loader>();
  const { t } = useTranslation("coverage");
  const id = useId();
  return (
    <>
      <h1>{t("roster.title")}</h1>
      <p className="lead">{t("roster.lead")}</p>
      <Form method="get" className="coverage-controls" role="search">
        <div className="field">
          <label htmlFor={`${id}-q`}>{t("roster.search")}</label>
          <input id={`${id}-q`} type="search" name="q" defaultValue={data.q} maxLength={100} />
        </div>
        <SelectField
          label={t("roster.linkFilter")}
          name="linked"
          defaultValue={data.linked}
          options={[
            { value: "", label: t("roster.all") },
            { value: "yes", label: t("linked.yes") },
            { value: "no", label: t("linked.no") },
          ]}
        />
        <button type="submit" className="button">
          {t("roster.filter")}
        </button>
      </Form>
      <p className="meta" role="status">
        {t("roster.count", { count: data.total })}
      </p>
      {data.people.length === 0 ? (
        <p className="empty">{t("roster.empty")}</p>
      ) : (
        <PeopleTable
          caption={t("roster.caption")}
          captionHidden
          people={data.people}
          extra={[{ header: t("columns.groups"), cell: (p) => p.groups }]}
        />
      )}
      <Pager page={data.page} total={data.total} pageSize={PAGE_SIZE} />
      <ExportLinks
        table="roster"
        params={{ q: data.q || undefined, linked: data.linked || undefined }}
        label={t("roster.title")}
      />
    </>
  );
}
