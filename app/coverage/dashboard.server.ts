import { isoOfDay } from "./dates";
import { provincesInScope } from "./page.server";
import { reportCache } from "./report-cache.server";
import { coverageAsOf, loadGroups, monthlySeries, totalsByGroup } from "./report.server";
import { timelineByProvince, timelineKeeper, timelineSeries } from "./timeline.server";
import { ruleChangeDays } from "./rule";
import { scopeOf, type Actor } from "./scope.server";

// The /coverage dashboard's figures: group cards, the group × province
// matrix and the month-by-month chart of one group, for the actor's scope on
// a day. Cached per scope, day and chart group under the coverage version
// (report-cache.server.ts); the reads run off the web server's thread
// (getReportSql, docs/decisions/140-reports-off-the-event-loop.md).

export type DashboardReport = Awaited<ReturnType<typeof computeDashboard>>;

/** The dashboard of `actor`'s scope on `day`, its chart for `groupCode` (else the first group). */
export function coverageDashboard(actor: Actor, day: number, groupCode: string | undefined): Promise<DashboardReport> {
  return reportCache().get("dashboard", actor, { day, group: groupCode }, () =>
    computeDashboard(actor, day, groupCode),
  );
}

async function computeDashboard(actor: Actor, day: number, groupCode: string | undefined) {
  // A scope asking for many dates gets them all from its timeline
  // (docs/decisions/142-coverage-timelines.md); until that is built, per date.
  const [timeline, provinces] = await Promise.all([timelineKeeper().ready(actor, day), provincesInScope(actor)]);
  const groups = timeline?.groups ?? (await loadGroups());
  const chartGroup = groups.find((g) => g.code === groupCode) ?? groups[0];
  const matrix = timeline ? timelineByProvince(timeline, day) : await coverageAsOf(actor, day, "province", {}, groups);
  // The group figures are the sums of the province rows: no second pass over the summary table.
  const summary = totalsByGroup(groups, matrix, day);
  const chartNow = summary.find((r) => r.group.code === chartGroup?.code);
  const series =
    chartGroup && chartNow
      ? timeline
        ? timelineSeries(timeline, chartGroup, day, chartNow)
        : await monthlySeries(actor, day, chartGroup.code, {}, { groups, today: chartNow })
      : [];
  // Where another rule version took over, the count can jump: the chart marks it, at the point that first uses it.
  const changes = chartGroup
    ? ruleChangeDays(chartGroup.rules, series[0]?.day ?? day, day).flatMap((change) => {
        const point = series.find((p) => p.day >= change);
        return point ? [{ label: point.label, date: isoOfDay(change) }] : [];
      })
    : [];
  // An agency coordinator's people live in some provinces only: show those.
  const withData = new Set(matrix.map((r) => r.unit?.id));
  const agencyScoped = scopeOf(actor).agencyId !== null;
  return {
    summary,
    matrix: matrix.map((r) => ({
      group: r.group.code,
      unit: r.unit!.id,
      percent: r.percent,
      trained: r.trained,
      headcount: r.headcount,
      target: r.targetPercent,
    })),
    provinces: agencyScoped ? provinces.filter((p) => withData.has(p.id)) : provinces,
    groups: groups.map((g) => ({
      code: g.code,
      nameVi: g.nameVi,
      nameEn: g.nameEn,
      deadline: isoOfDay(g.deadlineDay),
    })),
    chartGroup: chartGroup?.code ?? null,
    series,
    changes,
  };
}
