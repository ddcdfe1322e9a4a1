import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { AsOfForm, GroupSelect } from "~/components/coverage/as-of-form";
import { SelectField } from "~/components/fields";
import { ExportLinks } from "~/components/coverage/export-links";
import { Pager } from "~/components/coverage/pager";
import { PeopleTable } from "~/components/coverage/people-table";
import { RecordSummary } from "~/components/coverage/training-records";
import { coveragePage, filterUnitNames, groupChoice, provincesInScope } from "~/coverage/page.server";
import { asOfState } from "~/coverage/query";
import { PAGE_SIZE } from "~/coverage/paging";
import { recordsOf } from "~/coverage/records.server";
import { untrainedPeople } from "~/coverage/report.server";
import { followUpFilter, pageOf } from "~/coverage/tables.server";
import { localized } from "~/i18n";
import { formatDate } from "~/utils/format";
import { pageTitle } from "~/utils/meta";

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "followUp") }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { actor, query } = await coveragePage(request);
  const { chosen, group, groups } = await groupChoice(query);
  const filter = followUpFilter(query);
  const [list, provinces, { agency, former }] = await Promise.all([
    chosen
      ? untrainedPeople(actor, query.day, { ...filter, groupCode: chosen.code }, pageOf(query))
      : { total: 0, people: [] },
    provincesInScope(actor),
    // Names of the units in the filter; the list itself is what the scope allows.
    filterUnitNames(query),
  ]);
  // Why each person is still on the list: their records, where they came from, which were voided.
  const records = Object.fromEntries(await recordsOf(list.people.map((p) => p.id)));
  return {
    records,
    ...asOfState(query),
    page: query.page,
    group,
    groups,
    province: query.province ?? "",
    provinces,
    agency: query.agency ? { id: query.agency, name: agency?.nameVi ?? "" } : null,
    former: query.former ? { id: query.former, name: former?.nameVi ?? "" } : null,
    ...list,
  };
}

export default function FollowUp() {
  const data = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation("coverage");
  const { t: tOps } = useTranslation("operations");
  const lang = i18n.language;
  const groupName = data.group ? localized(lang, data.group.nameVi, data.group.nameEn) : "";
  const keep = { agency: data.agency?.id, former: data.former?.id };
  const params = { asOf: data.asOf, group: data.group?.code, province: data.province || undefined, ...keep };
  const without = (name: "agency" | "former") => {
    const search = new URLSearchParams(
      Object.entries(params).filter(([k, v]) => k !== name && v) as [string, string][],
    );
    return `/coverage/follow-up?${search}`;
  };
  return (
    <>
      <h1>{t("followUp.title")}</h1>
      <p className="lead">{t("followUp.lead")}</p>
      <AsOfForm
        asOf={data.asOf}
        max={data.today}
        refused={{ problem: data.asOfProblem, input: data.asOfInput }}
        keep={keep}
      >
        <GroupSelect label={t("breakdown.group")} groups={data.groups} value={data.group?.code ?? ""} />
        <SelectField
          label={t("columns.province")}
          name="province"
          defaultValue={data.province}
          options={[
            ...(data.provinces.length > 1 ? [{ value: "", label: t("followUp.allProvinces") }] : []),
            ...data.provinces.map((p) => ({ value: p.id, label: p.nameVi })),
          ]}
        />
      </AsOfForm>
      {data.agency || data.former ? (
        <ul className="filter-chips">
          {data.agency ? (
            <li>
              {t("columns.agency")}: {data.agency.name}{" "}
              <Link to={without("agency")} aria-label={`${t("followUp.allAgencies")}`}>
                ✕
              </Link>
            </li>
          ) : null}
          {data.former ? (
            <li>
              {t("columns.formerProvince")}: {data.former.name}{" "}
              <Link to={without("former")} aria-label={t("followUp.allProvinces")}>
                ✕
              </Link>
            </li>
          ) : null}
        </ul>
      ) : null}
      <p className="meta" role="status">
        {t("followUp.count", { count: data.total })}
      </p>
      {data.group && data.total > 0 ? (
        <p>
          <Link
            className="button"
            to={`/coverage/reminders?${new URLSearchParams(Object.entries(params).filter(([, v]) => v) as [string, string][])}`}
          >
            {tOps("followUp.sendReminder")}
          </Link>
        </p>
      ) : null}
      {data.people.length === 0 ? (
        <p className="empty">{t("followUp.none")}</p>
      ) : (
        <PeopleTable
          caption={t("followUp.caption", { group: groupName })}
          people={data.people}
          extra={[
            { header: t("columns.position"), cell: (p) => p.position },
            { header: t("columns.email"), cell: (p) => p.email },
            {
              header: t("columns.records"),
              cell: (p) => <RecordSummary records={data.records[p.id] ?? []} />,
            },
            {
              header: tOps("followUp.lastReminded"),
              cell: (p) =>
                p.lastRemindedAt ? (
                  <>
                    <time dateTime={p.lastRemindedAt}>{formatDate(p.lastRemindedAt, lang)}</time>{" "}
                    {p.reminderStatus ? (
                      <span className={`badge delivery-${p.reminderStatus.toLowerCase()}`}>
                        {tOps(`delivery.${p.reminderStatus}`)}
                      </span>
                    ) : null}
                  </>
                ) : (
                  "—"
                ),
            },
          ]}
        />
      )}
      <Pager page={data.page} total={data.total} pageSize={PAGE_SIZE} />
      <ExportLinks table="follow-up" params={params} label={t("followUp.title")} />
      <ExportLinks table="records" params={{}} label={t("export.records")} />
    </>
  );
}
