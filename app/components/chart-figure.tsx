import { Suspense, useEffect, useId, useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";

/**
 * A chart and the same numbers as a table: the chart is drawn only in the
 * browser (recharts is loaded on demand) and hidden from screen readers; the
 * table is always in the page for them, and sighted readers can show it.
 * The coverage dashboard's month-by-month chart and the trainer's course
 * figures both use it.
 */
export function ChartFigure({
  caption,
  summary,
  note,
  chart,
  table,
  compact = false,
}: {
  caption: string;
  /** One sentence that says what the chart shows, read by screen readers instead of it. */
  summary: string;
  note?: ReactNode;
  /** The chart itself, rendered once hydrated (a lazy component inside). */
  chart: () => ReactNode;
  /** A <table> with the chart's numbers; its caption should repeat `caption`. */
  table: ReactNode;
  /** Sized by the chart itself rather than the line chart's 320 px. */
  compact?: boolean;
}) {
  const { t } = useTranslation("common");
  const id = useId();
  const [hydrated, setHydrated] = useState(false);
  const [showTable, setShowTable] = useState(false);
  useEffect(() => setHydrated(true), []);
  const loading = <p className="meta">{t("chart.loading")}</p>;
  return (
    <figure className="chart-figure" aria-labelledby={`${id}-caption`}>
      <figcaption id={`${id}-caption`}>{caption}</figcaption>
      <p className="visually-hidden">{summary}</p>
      {note}
      <div className={compact ? "chart-box compact" : "chart-box"} aria-hidden="true">
        {hydrated ? <Suspense fallback={loading}>{chart()}</Suspense> : loading}
      </div>
      <button
        type="button"
        className="link-button no-print"
        aria-pressed={showTable}
        onClick={() => setShowTable((v) => !v)}
      >
        {showTable ? t("chart.hideTable") : t("chart.showTable")}
      </button>
      <div className={showTable ? "table-scroll" : "visually-hidden"}>{table}</div>
    </figure>
  );
}
