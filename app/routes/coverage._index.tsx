import { TableScroll } from "~/components/table-scroll";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { AsOfForm, GroupSelect } from "~/components/coverage/as-of-form";
import { CoverageTable, formatPercent } from "~/components/coverage/coverage-table";
import { ExportLinks } from "~/components/coverage/export-links";
import { TrainedChart } from "~/components/coverage/trained-chart";
import { coverageDashboard } from "~/coverage/dashboard.server";
import { coveragePage } from "~/coverage/page.server";
import { asOfState } from "~/coverage/query";
import { localized } from "~/i18n";
import { formatDate } from "~/utils/format";
import { pageTitle } from "~/utils/meta";

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "coverage") }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { actor, query } = await coveragePage(request);
  return { ...asOfState(query), ...(await coverageDashboard(actor, query.day, query.group)) };
}

const BANDS = ["b0", "b1", "b2", "b3", "b4", "none"] as const;
type Band = (typeof BANDS)[number];

/** Progress to target in five bands, for the matrix colours (always with the number as text). */
function band(percent: number | null, target: number): Band {
  if (percent === null) return "none";
  const progress = percent / target;
  return progress >= 1 ? "b4" : progress >= 0.75 ? "b3" : progress >= 0.5 ? "b2" : progress >= 0.25 ? "b1" : "b0";
}

export default function CoverageDashboard() {
  const data = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation("coverage");
  const lang = i18n.language;
  const groupName = (g: { nameVi: string; nameEn: string }) => localized(lang, g.nameVi, g.nameEn);
  const params = { asOf: data.asOf };
  const empty = data.summary.every((r) => r.headcount === 0);
  const chartGroup = data.groups.find((g) => g.code === data.chartGroup);
  const last = data.series[data.series.length - 1];
  const deadlines = new Map(data.groups.map((g) => [g.code, g.deadline]));
  const cell = new Map(data.matrix.map((m) => [`${m.group}|${m.unit}`, m]));
  // Translated once, not once per cell: the matrix has a cell per province and group.
  const bandLabel = Object.fromEntries(BANDS.map((b) => [b, t(`dashboard.band.${b}`)])) as Record<Band, string>;
  return (
    <>
      <h1>{t("dashboard.title")}</h1>
      <p className="lead">{t("dashboard.lead")}</p>
      <AsOfForm
        asOf={data.asOf}
        max={data.today}
        refused={{ problem: data.asOfProblem, input: data.asOfInput }}
        keep={{ group: data.chartGroup ?? undefined }}
      />
      <p className="meta as-of-heading">{t("asOf.heading", { date: formatDate(data.asOf, lang) })}</p>
      {empty ? (
        <p className="notice warning">
          {t("dashboard.empty")} <Link to="/coverage/import">{t("dashboard.importLink")}</Link>
        </p>
      ) : null}

      <section aria-labelledby="groups-heading">
        <h2 id="groups-heading">{t("dashboard.groupsHeading")}</h2>
        <ul className="group-cards">
          {data.summary.map((row) => (
            <li key={row.group.code} className={`card group-card status-${row.status}`}>
              <h3>{groupName(row.group)}</h3>
              <p className="group-percent">{formatPercent(row.percent, lang)}</p>
              <progress
                max={Math.max(1, row.headcount)}
                value={row.trained}
                aria-label={t("dashboard.card.trained", row)}
              />
              <p>
                {t("dashboard.card.trained", {
                  trained: row.trained.toLocaleString(lang),
                  headcount: row.headcount.toLocaleString(lang),
                })}
              </p>
              <p className="meta">
                {t("dashboard.card.target", {
                  target: row.targetPercent,
                  deadline: formatDate(deadlines.get(row.group.code) ?? data.asOf, lang),
                })}
              </p>
              <p className="meta">
                {t("dashboard.card.expected", { expected: formatPercent(row.expectedPercent, lang) })}
              </p>
              <p>
                <span className={`badge status-${row.status}`}>{t(`status.${row.status}`)}</span>
              </p>
              {row.gap > 0 ? (
                <p>
                  <Link to={`/coverage/follow-up?group=${row.group.code}&asOf=${data.asOf}`}>
                    {t("dashboard.card.gap", { gap: row.gap.toLocaleString(lang) })}
                  </Link>
                </p>
              ) : null}
            </li>
          ))}
        </ul>
        <CoverageTable
          caption={t("dashboard.groupsCaption")}
          firstHeader={t("columns.group")}
          lang={lang}
          rows={data.summary.map((row) => ({
            key: row.group.code,
            label: groupName(row.group),
            cells: row,
            followUp: `/coverage/follow-up?group=${row.group.code}&asOf=${data.asOf}`,
          }))}
        />
        <ExportLinks table="groups" params={params} label={t("dashboard.groupsHeading")} />
      </section>

      <section aria-labelledby="matrix-heading">
        <h2 id="matrix-heading">{t("dashboard.matrixHeading")}</h2>
        <p className="matrix-legend">
          {t("dashboard.matrixLegend")}{" "}
          {BANDS.map((b) => (
            <span key={b} className={`legend-swatch band-${b}`}>
              {bandLabel[b]}
            </span>
          ))}
        </p>
        <TableScroll label={t("dashboard.matrixCaption")}>
          <table className="table matrix">
            <caption>{t("dashboard.matrixCaption")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("columns.province")}</th>
                {data.groups.map((g) => (
                  <th
                    key={g.code}
                    scope="col"
                    className="num matrix-group"
                    title={t("dashboard.groupCode", { code: g.code })}
                  >
                    {groupName(g)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {data.provinces.map((p) => (
                <tr key={p.id}>
                  <th scope="row">
                    <Link to={`/coverage/provinces?asOf=${data.asOf}`}>{p.nameVi}</Link>
                  </th>
                  {data.groups.map((g) => {
                    const c = cell.get(`${g.code}|${p.id}`);
                    const b = band(c?.percent ?? null, c?.target ?? 100);
                    return (
                      <td key={g.code} className={`num band-${b}`}>
                        {c ? (
                          <Link to={`/coverage/follow-up?group=${g.code}&province=${p.id}&asOf=${data.asOf}`}>
                            {formatPercent(c.percent, lang)}
                            <span className="matrix-count">
                              {c.trained}/{c.headcount}
                            </span>
                          </Link>
                        ) : (
                          "—"
                        )}
                        <span className="visually-hidden"> {bandLabel[b]}</span>
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
        <ExportLinks table="matrix" params={params} label={t("dashboard.matrixHeading")} />
      </section>

      <section aria-labelledby="chart-heading">
        <h2 id="chart-heading">{t("dashboard.chartHeading")}</h2>
        <AsOfForm asOf={data.asOf} max={data.today} labelledBy="chart-heading">
          <GroupSelect label={t("dashboard.chartGroup")} groups={data.groups} value={data.chartGroup ?? ""} />
        </AsOfForm>
        {chartGroup && last ? (
          <TrainedChart
            points={data.series}
            changes={data.changes}
            lang={lang}
            caption={t("dashboard.chartCaption", { group: groupName(chartGroup) })}
            summary={t("dashboard.chartSummary", {
              trained: last.trained,
              headcount: last.headcount,
              date: formatDate(data.asOf, lang),
              target: last.target,
            })}
          />
        ) : null}
        <ExportLinks
          table="monthly"
          params={{ ...params, group: data.chartGroup ?? undefined }}
          label={t("dashboard.chartHeading")}
        />
      </section>
    </>
  );
}
