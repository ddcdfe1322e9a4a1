import { lazy, Suspense, useEffect, useId, useState } from "react";
import { useTranslation } from "react-i18next";
import { formatDate } from "~/utils/format";
import type { ChartPoint, RuleChange } from "./trained-chart.client";

const LazyChart = lazy(() => import("./trained-chart.client"));

/**
 * The month-by-month chart and the same numbers as a table. The table is
 * always in the page for screen readers; sighted readers can show it.
 */
export function TrainedChart({
  points,
  changes = [],
  caption,
  summary,
  lang,
}: {
  points: ChartPoint[];
  changes?: RuleChange[];
  caption: string;
  summary: string;
  lang: string;
}) {
  const { t } = useTranslation("coverage");
  const { t: tOps } = useTranslation("operations");
  const changedAt = new Map(changes.map((c) => [c.label, c.date]));
  const changeText = changes.map((c) => formatDate(c.date, lang)).join(", ");
  const id = useId();
  const [hydrated, setHydrated] = useState(false);
  const [showTable, setShowTable] = useState(false);
  useEffect(() => setHydrated(true), []);
  const names = { trained: t("columns.trained"), target: t("columns.targetLine"), headcount: t("columns.headcount") };
  return (
    <figure className="chart-figure" aria-labelledby={`${id}-caption`}>
      <figcaption id={`${id}-caption`}>{caption}</figcaption>
      <p className="visually-hidden">{summary}</p>
      {changes.length > 0 ? <p className="meta chart-rule-changes">{tOps("chart.ruleChanges", { count: changes.length, dates: changeText })}</p> : null}
      <div className="chart-box" aria-hidden="true">
        {hydrated ? (
          <Suspense fallback={<p className="meta">{t("dashboard.chartLoading")}</p>}>
            <LazyChart points={points} names={names} changes={changes} changeLabel={tOps("chart.ruleChange")} />
          </Suspense>
        ) : (
          <p className="meta">{t("dashboard.chartLoading")}</p>
        )}
      </div>
      <button type="button" className="link-button no-print" aria-pressed={showTable} onClick={() => setShowTable((v) => !v)}>
        {showTable ? t("dashboard.hideTable") : t("dashboard.showTable")}
      </button>
      <div className={showTable ? "table-scroll" : "visually-hidden"}>
        <table className="table">
          <caption>{caption}</caption>
          <thead>
            <tr>
              <th scope="col">{t("columns.month")}</th>
              <th scope="col" className="num">{names.headcount}</th>
              <th scope="col" className="num">{names.trained}</th>
              <th scope="col" className="num">{names.target}</th>
              {changes.length > 0 ? <th scope="col">{tOps("chart.ruleChange")}</th> : null}
            </tr>
          </thead>
          <tbody>
            {points.map((p) => (
              <tr key={p.label}>
                <th scope="row">{p.label}</th>
                <td className="num">{p.headcount.toLocaleString(lang)}</td>
                <td className="num">{p.trained.toLocaleString(lang)}</td>
                <td className="num">{p.target.toLocaleString(lang)}</td>
                {changes.length > 0 ? <td>{changedAt.has(p.label) ? tOps("chart.ruleChangeOn", { date: formatDate(changedAt.get(p.label)!, lang) }) : ""}</td> : null}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </figure>
  );
}
