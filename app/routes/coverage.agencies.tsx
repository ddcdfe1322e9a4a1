import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useId } from "react";
import { useTranslation } from "react-i18next";
import { AsOfForm, GroupSelect } from "~/components/coverage/as-of-form";
import { CoverageTable } from "~/components/coverage/coverage-table";
import { ExportLinks } from "~/components/coverage/export-links";
import { Pager } from "~/components/coverage/pager";
import { coveragePage, groupChoice } from "~/coverage/page.server";
import { asOfState } from "~/coverage/query";
import { agencyKey } from "~/coverage/roster-import.server";
import { PAGE_SIZE } from "~/coverage/paging";
import { coverageAsOf } from "~/coverage/report.server";
import { localized } from "~/i18n";
import { Localized } from "~/components/localized-text";
import { pageTitle } from "~/utils/meta";

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "coverageAgencies") }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { actor, query } = await coveragePage(request);
  const { chosen, group, groups } = await groupChoice(query);
  const all = chosen ? await coverageAsOf(actor, query.day, "agency", { groupCode: chosen.code }) : [];
  const wanted = query.q ? agencyKey(query.q) : "";
  const rows = wanted
    ? all.filter(
        (r) => r.unit && (agencyKey(r.unit.nameVi).includes(wanted) || agencyKey(r.unit.code).includes(wanted)),
      )
    : all;
  return {
    ...asOfState(query),
    q: query.q ?? "",
    page: query.page,
    total: rows.length,
    group,
    groups,
    rows: rows.slice((query.page - 1) * PAGE_SIZE, query.page * PAGE_SIZE),
  };
}

export default function CoverageByAgency() {
  const data = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation("coverage");
  const lang = i18n.language;
  const id = useId();
  const groupName = data.group ? localized(lang, data.group.nameVi, data.group.nameEn) : "";
  return (
    <>
      <h1>{t("breakdown.agenciesTitle")}</h1>
      <AsOfForm asOf={data.asOf} max={data.today} refused={{ problem: data.asOfProblem, input: data.asOfInput }}>
        <GroupSelect label={t("breakdown.group")} groups={data.groups} value={data.group?.code ?? ""} />
        <div className="field">
          <label htmlFor={`${id}-q`}>{t("breakdown.search")}</label>
          <input id={`${id}-q`} type="search" name="q" defaultValue={data.q} maxLength={100} />
        </div>
      </AsOfForm>
      {data.rows.length === 0 ? <p className="empty">{t("breakdown.none")}</p> : null}
      <CoverageTable
        caption={t("breakdown.caption", { group: groupName, unit: t("breakdown.unitAgency") })}
        firstHeader={t("columns.agency")}
        lang={lang}
        rows={data.rows.map((row) => ({
          key: row.unit?.id ?? "-",
          label: row.unit ? <Localized vi={row.unit.nameVi} en={row.unit.nameEn} /> : "—",
          cells: row,
          followUp: `/coverage/follow-up?group=${row.group.code}&agency=${row.unit?.id}&asOf=${data.asOf}`,
        }))}
      />
      <Pager page={data.page} total={data.total} pageSize={PAGE_SIZE} />
      <ExportLinks
        table="agencies"
        params={{ asOf: data.asOf, group: data.group?.code }}
        label={t("breakdown.agenciesTitle")}
      />
    </>
  );
}
