import { getReportSql, getSql, num, type Sql } from "~/db/sql.server";
import { logger } from "~/utils/logger.server";
import { coverageVersion } from "./report-version.server";
import {
  coverageRow,
  factWhere,
  inGroupAndUnitOrder,
  loadGroups,
  loadUnits,
  seriesPoints,
  type CoverageRow,
  type GroupInfo,
  type SeriesPoint,
  type Unit,
} from "./report.server";
import { ruleInForce } from "./rule";
import { scopeOf, type Actor } from "./scope.server";

// A scope's coverage on every day at once. Between two writes the summary
// table does not change, so where `coverageAsOf` counts the facts again for
// each as-of date, a timeline reads them once per scope and coverage version
// (one grouped pass over the covering index) and keeps, per rule version and
// province, the days on which someone joined, left or became trained with
// the running counts after each. Any day's matrix and the month-by-month
// chart are then a binary search per cell, so a coordinator walking through
// past dates costs no query (docs/decisions/142-coverage-timelines.md).
//
// Each fact is a segment of a membership: in the headcount on the days
// [joinedDay, leftDay), trained on [max(joinedDay, qualifiedDay), leftDay)
// (rule.ts isMemberOn / isTrainedOn, report.server.ts memberOn / qualifiedBy);
// null joinedDay is "from the beginning", null leftDay "still a member".

/** Running counts of one rule version in one province: after the events of days[i], head[i] and trained[i]. */
type Cell = { unitId: string | null; days: number[]; head: number[]; trained: number[] };

export type CoverageTimeline = {
  groups: GroupInfo[];
  units: Map<string, Unit>;
  /** By rule id, then by province id (null: facts without a province). */
  cells: Map<string, Map<string | null, Cell>>;
};

/** Before any day: the events of facts counted "from the beginning". */
const BEGINNING = Number.MIN_SAFE_INTEGER;

/** Distinct days a scope asks for at one version before its timeline is built: one date is cheaper to count alone. */
export const TIMELINE_AFTER_DAYS = 3;
/** Scopes whose timelines are kept: a national timeline at 200,000 people is a few megabytes. */
export const TIMELINE_SCOPES = 40;

type Kept = { version: number; days: Set<number>; building: Promise<void> | null; timeline: CoverageTimeline | null };

/**
 * Timelines per scope, each under the coverage version it was built at. A
 * timeline costs several per-date reports to build, and any write raises the
 * version (an online completion too), so it is built only for a scope that
 * has asked for `afterDays` distinct days at the current version (a
 * coordinator walking through dates, ten of them at once), in the background
 * and once; until it is ready, reports are counted per date as before.
 */
export class TimelineKeeper {
  private readonly kept = new Map<string, Kept>();

  constructor(
    readonly afterDays = TIMELINE_AFTER_DAYS,
    readonly capacity = TIMELINE_SCOPES,
    private readonly build: (actor: Actor) => Promise<CoverageTimeline> = (actor) => buildTimeline(actor),
  ) {}

  /** `actor`'s timeline at the current version, or null (and a build started, if the scope has asked often enough). */
  async ready(actor: Actor, day: number, sql: Sql = getSql()): Promise<CoverageTimeline | null> {
    const version = await coverageVersion(sql);
    const scope = scopeOf(actor);
    const key = JSON.stringify([scope.provinceId, scope.agencyId]);
    let entry = this.kept.get(key);
    if (!entry || entry.version !== version) entry = { version, days: new Set(), building: null, timeline: null };
    // Most recently used last: the first key is the one to drop.
    this.kept.delete(key);
    this.kept.set(key, entry);
    while (this.kept.size > this.capacity) this.kept.delete(this.kept.keys().next().value!);
    if (entry.timeline) return entry.timeline;
    entry.days.add(day);
    if (!entry.building && entry.days.size >= this.afterDays) {
      const building = entry;
      building.building = this.build(actor).then(
        (timeline) => {
          building.timeline = timeline;
        },
        (error: unknown) => {
          // Reports go on per date; the next days asked for try again.
          logger.warn({ err: error }, "coverage timeline failed");
          building.days.clear();
          building.building = null;
        },
      );
    }
    return null;
  }

  /** Waits for the builds in flight. */
  async settled(): Promise<void> {
    await Promise.all([...this.kept.values()].map((entry) => entry.building));
  }

  clear(): void {
    this.kept.clear();
  }
}

declare global {
  var __timelineKeeper: TimelineKeeper | undefined;
}

/** The process's coverage timelines. */
export function timelineKeeper(): TimelineKeeper {
  globalThis.__timelineKeeper ??= new TimelineKeeper();
  return globalThis.__timelineKeeper;
}

export async function buildTimeline(actor: Actor, sql: Sql = getReportSql()): Promise<CoverageTimeline> {
  const groups = await loadGroups(sql);
  const ruleIds = groups.flatMap((g) => g.rules.map((r) => r.id));
  if (ruleIds.length === 0) return { groups, units: new Map(), cells: new Map() };
  // Grouped in the covering index's own order (no sort), so one cell's rows
  // come together.
  const rows = await sql.all(
    sql.db
      .selectFrom("CoverageFact as f")
      .select((eb) => [
        "f.ruleId",
        "f.provinceId",
        "f.joinedDay",
        "f.leftDay",
        "f.qualifiedDay",
        eb.fn.countAll().as("n"),
      ])
      .where(factWhere(actor, { ruleIds, filter: {} }))
      .groupBy(["f.ruleId", "f.provinceId", "f.joinedDay", "f.leftDay", "f.qualifiedDay"])
      .orderBy("f.ruleId")
      .orderBy("f.provinceId"),
  );

  const cells = new Map<string, Map<string | null, Cell>>();
  // One cell's events as [day, change of headcount, change of trained], then its running counts.
  let events: [number, number, number][] = [];
  const close = (ruleId: string, unitId: string | null) => {
    events.sort((a, b) => a[0] - b[0]);
    const cell: Cell = { unitId, days: [], head: [], trained: [] };
    let head = 0;
    let trained = 0;
    for (const [day, dh, dt] of events) {
      head += dh;
      trained += dt;
      if (cell.days[cell.days.length - 1] === day) {
        cell.head[cell.head.length - 1] = head;
        cell.trained[cell.trained.length - 1] = trained;
      } else {
        cell.days.push(day);
        cell.head.push(head);
        cell.trained.push(trained);
      }
    }
    let ruleCells = cells.get(ruleId);
    if (!ruleCells) cells.set(ruleId, (ruleCells = new Map()));
    ruleCells.set(unitId, cell);
    events = [];
  };
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    const n = num(row.n);
    const joined = row.joinedDay === null ? BEGINNING : num(row.joinedDay);
    const left = row.leftDay === null ? null : num(row.leftDay);
    if (left === null || left > joined) {
      // A member on [joined, left); trained from the later of joining and qualifying.
      events.push([joined, n, 0]);
      if (left !== null) events.push([left, -n, 0]);
      const from = row.qualifiedDay === null ? null : Math.max(joined, num(row.qualifiedDay));
      if (from !== null && (left === null || from < left)) {
        events.push([from, 0, n]);
        if (left !== null) events.push([left, 0, -n]);
      }
    }
    const next = rows[i + 1];
    if (!next || next.ruleId !== row.ruleId || next.provinceId !== row.provinceId) close(row.ruleId, row.provinceId);
  }
  const provinceIds = [...new Set(rows.map((r) => r.provinceId))];
  const units = await loadUnits(sql, "province", provinceIds);
  return { groups, units, cells };
}

/** A cell's counts on `day`: after every event on or before it. */
function countsOn(cell: Cell, day: number): { headcount: number; trained: number } {
  let low = 0;
  let high = cell.days.length; // the first index whose day is after `day`
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (cell.days[mid]! <= day) low = mid + 1;
    else high = mid;
  }
  return low === 0 ? { headcount: 0, trained: 0 } : { headcount: cell.head[low - 1]!, trained: cell.trained[low - 1]! };
}

/** What `coverageAsOf(actor, day, "province")` answers, from the timeline: every group × province with members on `day`. */
export function timelineByProvince(timeline: CoverageTimeline, day: number): CoverageRow[] {
  const rows: CoverageRow[] = [];
  for (const group of timeline.groups) {
    if (group.rules.length === 0) continue;
    const rule = ruleInForce(group.rules, day);
    for (const cell of timeline.cells.get(rule.id)?.values() ?? []) {
      const { headcount, trained } = countsOn(cell, day);
      if (headcount > 0) rows.push(coverageRow(group, cell.unitId, timeline.units, headcount, trained, day));
    }
  }
  return inGroupAndUnitOrder(timeline.groups, rows);
}

/** What `monthlySeries(actor, day, group.code)` answers, from the timeline; `now` is the group's counts on `day`. */
export function timelineSeries(
  timeline: CoverageTimeline,
  group: GroupInfo,
  day: number,
  now: { headcount: number; trained: number },
): SeriesPoint[] {
  if (group.rules.length === 0) return [];
  return seriesPoints(
    group,
    day,
    (ruleId, _month, monthEnd) => {
      let headcount = 0;
      let trained = 0;
      for (const cell of timeline.cells.get(ruleId)?.values() ?? []) {
        const counts = countsOn(cell, monthEnd);
        headcount += counts.headcount;
        trained += counts.trained;
      }
      return { headcount, trained };
    },
    now,
  );
}
