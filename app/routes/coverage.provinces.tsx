import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { AsOfForm, GroupSelect } from "~/components/coverage/as-of-form";
import { SelectField } from "~/components/fields";
import { CoverageTable } from "~/components/coverage/coverage-table";
import { ExportLinks } from "~/components/coverage/export-links";
import { coveragePage, groupChoice, provinceUnitsInScope } from "~/coverage/page.server";
import { asOfState } from "~/coverage/query";
import { coverageAsOf } from "~/coverage/report.server";
import { breakdownOf } from "~/coverage/tables.server";
import { everyUnit } from "~/coverage/unit-list";
import { localized } from "~/i18n";
import { pageTitle } from "~/utils/meta";

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "coverageProvinces") }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { actor, query } = await coveragePage(request);
  const { chosen, group, groups } = await groupChoice(query);
  const [figures, units] = await Promise.all([
    chosen ? coverageAsOf(actor, query.day, breakdownOf(query, "provinces"), { groupCode: chosen.code }) : [],
    provinceUnitsInScope(actor, query.era),
  ]);
  // Every unit in the reader's care, those with no roster yet included.
  const rows = chosen && units ? everyUnit(figures, units) : figures.map((row) => ({ unit: row.unit, figures: row }));
  return {
    ...asOfState(query),
    era: query.era,
    group,
    groups,
    rows,
  };
}

export default function CoverageByProvince() {
  const data = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation("coverage");
  const lang = i18n.language;
  const groupName = data.group ? localized(lang, data.group.nameVi, data.group.nameEn) : "";
  const unitParam = data.era === "former" ? "former" : "province";
  return (
    <>
      <h1>{t("breakdown.provincesTitle")}</h1>
      <AsOfForm asOf={data.asOf} max={data.today} refused={{ problem: data.asOfProblem, input: data.asOfInput }}>
        <GroupSelect label={t("breakdown.group")} groups={data.groups} value={data.group?.code ?? ""} />
        <SelectField
          label={t("breakdown.era")}
          name="era"
          defaultValue={data.era}
          options={[
            { value: "current", label: t("breakdown.eraCurrent") },
            { value: "former", label: t("breakdown.eraFormer") },
          ]}
        />
      </AsOfForm>
      {data.rows.length === 0 ? <p className="empty">{t("breakdown.none")}</p> : null}
      {data.rows.some((row) => !row.figures) ? (
        <p className="meta">
          {t("breakdown.unitsWithRoster", {
            count: data.rows.filter((row) => row.figures).length,
            total: data.rows.length,
          })}
        </p>
      ) : null}
      <CoverageTable
        caption={t("breakdown.caption", { group: groupName, unit: t("breakdown.unitProvince") })}
        firstHeader={t(data.era === "former" ? "columns.formerProvince" : "columns.province")}
        lang={lang}
        rows={data.rows.map((row) => ({
          key: row.unit?.id ?? "-",
          label: row.unit?.nameVi ?? "—",
          cells: row.figures,
          followUp: row.figures
            ? `/coverage/follow-up?group=${row.figures.group.code}&${unitParam}=${row.unit?.id}&asOf=${data.asOf}`
            : undefined,
        }))}
      />
      <ExportLinks
        table="provinces"
        params={{ asOf: data.asOf, group: data.group?.code, era: data.era }}
        label={t("breakdown.provincesTitle")}
      />
    </>
  );
}
