import { lazy } from "react";
import { useTranslation } from "react-i18next";
import { formatDate } from "~/utils/format";
import { ChartFigure } from "../chart-figure";
import type { ChartPoint, RuleChange } from "./trained-chart.client";

const LazyChart = lazy(() => import("./trained-chart.client"));

/** The month-by-month chart and the same numbers as a table (ChartFigure). */
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
  const names = { trained: t("columns.trained"), target: t("columns.targetLine"), headcount: t("columns.headcount") };
  return (
    <ChartFigure
      caption={caption}
      summary={summary}
      note={
        changes.length > 0 ? (
          <p className="meta chart-rule-changes">
            {tOps("chart.ruleChanges", { count: changes.length, dates: changeText })}
          </p>
        ) : null
      }
      chart={() => <LazyChart points={points} names={names} changes={changes} changeLabel={tOps("chart.ruleChange")} />}
      table={
        <table className="table">
          <caption>{caption}</caption>
          <thead>
            <tr>
              <th scope="col">{t("columns.month")}</th>
              <th scope="col" className="num">
                {names.headcount}
              </th>
              <th scope="col" className="num">
                {names.trained}
              </th>
              <th scope="col" className="num">
                {names.target}
              </th>
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
                {changes.length > 0 ? (
                  <td>
                    {changedAt.has(p.label)
                      ? tOps("chart.ruleChangeOn", { date: formatDate(changedAt.get(p.label)!, lang) })
                      : ""}
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      }
    />
  );
}
