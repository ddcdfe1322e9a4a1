import { TableScroll } from "~/components/table-scroll";
import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { formatShare } from "~/utils/format";

export type CoverageCells = {
  headcount: number;
  trained: number;
  percent: number | null;
  targetPercent: number;
  expectedPercent: number;
  gap: number;
  status: "no_headcount" | "met" | "on_track" | "behind";
};

export function StatusBadge({ status }: { status: CoverageCells["status"] }) {
  const { t } = useTranslation("coverage");
  return <span className={`badge status-${status}`}>{t(`status.${status}`)}</span>;
}

export function formatPercent(value: number | null, lang: string): string {
  return value === null ? "—" : `${formatShare(value, lang)}%`;
}

/** Rows of coverage figures under a first column (a group, a province, an agency); a unit without figures (`cells: null`) says it has no roster yet. */
export function CoverageTable({
  caption,
  firstHeader,
  rows,
  lang,
}: {
  caption: string;
  firstHeader: string;
  rows: { key: string; label: React.ReactNode; cells: CoverageCells | null; followUp?: string }[];
  lang: string;
}) {
  const { t } = useTranslation("coverage");
  return (
    <TableScroll label={caption}>
      <table className="table coverage-table">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{firstHeader}</th>
            <th scope="col" className="num">
              {t("columns.headcount")}
            </th>
            <th scope="col" className="num">
              {t("columns.trained")}
            </th>
            <th scope="col" className="num">
              {t("columns.percent")}
            </th>
            <th scope="col" className="num">
              {t("columns.target")}
            </th>
            <th scope="col" className="num">
              {t("columns.expected")}
            </th>
            <th scope="col" className="num">
              {t("columns.gap")}
            </th>
            <th scope="col">{t("columns.status")}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(({ key, label, cells, followUp }) => (
            <tr key={key} className={cells ? undefined : "no-roster"}>
              <th scope="row">{label}</th>
              {cells ? (
                <FigureCells cells={cells} followUp={followUp} lang={lang} />
              ) : (
                <td colSpan={7}>{t("breakdown.noRoster")}</td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}

function FigureCells({ cells, followUp, lang }: { cells: CoverageCells; followUp?: string; lang: string }) {
  return (
    <>
      <td className="num">{cells.headcount.toLocaleString(lang)}</td>
      <td className="num">{cells.trained.toLocaleString(lang)}</td>
      <td className="num">
        <span className="percent-cell">
          <meter min={0} max={100} value={cells.percent ?? 0} aria-hidden="true" />
          {formatPercent(cells.percent, lang)}
        </span>
      </td>
      <td className="num">{formatPercent(cells.targetPercent, lang)}</td>
      <td className="num">{formatPercent(cells.expectedPercent, lang)}</td>
      <td className="num">
        {followUp && cells.gap > 0 ? (
          <Link to={followUp}>{cells.gap.toLocaleString(lang)}</Link>
        ) : (
          cells.gap.toLocaleString(lang)
        )}
      </td>
      <td>
        <StatusBadge status={cells.status} />
      </td>
    </>
  );
}
