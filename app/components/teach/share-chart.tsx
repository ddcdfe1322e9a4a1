import { lazy, type ReactNode } from "react";
import { ChartFigure } from "../chart-figure";
import type { ShareBar } from "./share-chart.client";

const LazyChart = lazy(() => import("./share-chart.client"));

/** Shares (0–100%) as horizontal bars, with `table` holding the same numbers. */
export function ShareChart({
  bars,
  caption,
  summary,
  table,
}: {
  bars: ShareBar[];
  caption: string;
  summary: string;
  table: ReactNode;
}) {
  const height = Math.max(120, 48 + bars.length * 36);
  return (
    <ChartFigure
      caption={caption}
      summary={summary}
      chart={() => <LazyChart bars={bars} height={height} />}
      table={table}
      compact
    />
  );
}
