import type { TFunction } from "i18next";
import { localized } from "~/i18n";
import { formatDate } from "~/utils/format";
import type { ExportTable, StreamedTable } from "./export.server";
import type { Reject } from "./imports.server";
import { PAGE_SIZE } from "./paging";
import type { CoverageQuery } from "./query";
import {
  coverageAsOf,
  loadGroups,
  monthlySeries,
  rowFigures,
  untrainedPeople,
  type Breakdown,
  type CoverageRow,
  type FollowUpPerson,
  type SeriesPoint,
} from "./report.server";
import { describeProvenance, describeVoid } from "./provenance";
import { recordsInScope, recordsOf, type RecordListItem, type RecordWithProvenance } from "./records.server";
import { listRoster, type RosterListItem } from "./roster.server";
import { groupChoice, provinceUnitsInScope } from "./page.server";
import type { Actor } from "./scope.server";
import { everyUnit, type ListedUnit } from "./unit-list";

// The tables the coverage pages show, as rows for CSV and XLSX. The export
// route fetches the same data as the page, through the same scoped functions.

export const EXPORT_TABLES = [
  "groups",
  "provinces",
  "agencies",
  "matrix",
  "monthly",
  "follow-up",
  "roster",
  "records",
] as const;
export type ExportTableName = (typeof EXPORT_TABLES)[number];

type Lang = string;

const groupName = (row: CoverageRow, lang: Lang) => localized(lang, row.group.nameVi, row.group.nameEn);

function coverageColumns(t: TFunction) {
  return [
    { key: "headcount", header: t("columns.headcount"), numeric: true },
    { key: "trained", header: t("columns.trained"), numeric: true },
    { key: "percent", header: t("columns.percent"), numeric: true },
    { key: "target", header: t("columns.target"), numeric: true },
    { key: "expected", header: t("columns.expected"), numeric: true },
    { key: "gap", header: t("columns.gap"), numeric: true },
    { key: "status", header: t("columns.status") },
  ];
}

function coverageCells(row: CoverageRow, t: TFunction) {
  return { ...rowFigures(row), status: t(`status.${row.status}`) };
}

export function groupsTable(rows: CoverageRow[], t: TFunction, lang: Lang): ExportTable {
  return {
    title: t("dashboard.groupsHeading"),
    columns: [
      { key: "code", header: t("columns.groupCode") },
      { key: "group", header: t("columns.group") },
      ...coverageColumns(t),
    ],
    rows: rows.map((row) => ({ code: row.group.code, group: groupName(row, lang), ...coverageCells(row, t) })),
  };
}

/** A line of a breakdown: a unit's figures for a group, or a unit in the reader's care with no roster yet. */
export type BreakdownLine = {
  group: Pick<CoverageRow["group"], "code">;
  unit: ListedUnit | null;
  figures: CoverageRow | null;
};

export function breakdownTable(
  lines: BreakdownLine[],
  by: Exclude<Breakdown, "group">,
  t: TFunction,
  lang: Lang,
): ExportTable {
  const unitHeader = t(
    by === "agency" ? "columns.agency" : by === "former_province" ? "columns.formerProvince" : "columns.province",
  );
  return {
    title: unitHeader,
    columns: [
      { key: "code", header: t("columns.groupCode") },
      { key: "unit", header: unitHeader },
      ...coverageColumns(t),
    ],
    rows: lines.map(({ group, unit, figures }) => ({
      code: group.code,
      unit: unit ? localized(lang, unit.nameVi, by === "agency" ? unit.nameEn : null) : "",
      ...(figures ? coverageCells(figures, t) : { status: t("breakdown.noRoster") }),
    })),
  };
}

/**
 * A breakdown by province as the page shows it: every unit in the reader's
 * care, for each group asked for, those with no roster yet included.
 */
export function everyUnitLines(
  rows: CoverageRow[],
  groups: Pick<CoverageRow["group"], "code">[],
  units: ListedUnit[] | null,
): BreakdownLine[] {
  if (!units) return rows.map((row) => ({ group: row.group, unit: row.unit, figures: row }));
  return groups.flatMap((group) =>
    everyUnit(
      rows.filter((row) => row.group.code === group.code),
      units,
    ).map((line) => ({ group, unit: line.unit, figures: line.figures })),
  );
}

/**
 * Group × province: one row per province in the reader's care (those with no
 * roster yet included, their cells empty), trained / headcount / percent per
 * group, the columns headed by the group's name and code.
 */
export function matrixTable(
  rows: CoverageRow[],
  groups: Pick<CoverageRow["group"], "code" | "nameVi" | "nameEn">[],
  units: ListedUnit[],
  t: TFunction,
  lang: Lang,
): ExportTable {
  const lines = new Map<string, { name: string; cells: Record<string, number | null> }>(
    units.map((unit) => [unit.id, { name: unit.nameVi, cells: {} }]),
  );
  for (const row of rows) {
    if (!row.unit) continue;
    const line = lines.get(row.unit.id) ?? { name: row.unit.nameVi, cells: {} };
    line.cells[`${row.group.code}:trained`] = row.trained;
    line.cells[`${row.group.code}:headcount`] = row.headcount;
    line.cells[`${row.group.code}:percent`] = row.percent;
    lines.set(row.unit.id, line);
  }
  return {
    title: t("dashboard.matrixHeading"),
    columns: [
      { key: "unit", header: t("columns.province") },
      ...groups.flatMap((group) => {
        const name = `${localized(lang, group.nameVi, group.nameEn)} (${group.code})`;
        return [
          { key: `${group.code}:trained`, header: `${name} — ${t("columns.trained")}`, numeric: true },
          { key: `${group.code}:headcount`, header: `${name} — ${t("columns.headcount")}`, numeric: true },
          { key: `${group.code}:percent`, header: `${name} — ${t("columns.percent")}`, numeric: true },
        ];
      }),
    ],
    rows: [...lines.values()]
      .sort((a, b) => a.name.localeCompare(b.name, "vi"))
      .map((u) => ({ unit: u.name, ...u.cells })),
  };
}

export function seriesTable(points: SeriesPoint[], t: TFunction): ExportTable {
  return {
    title: t("dashboard.chartHeading"),
    columns: [
      { key: "label", header: t("columns.month") },
      { key: "headcount", header: t("columns.headcount"), numeric: true },
      { key: "trained", header: t("columns.trained"), numeric: true },
      { key: "target", header: t("columns.targetLine"), numeric: true },
    ],
    rows: points.map((p) => ({ label: p.label, headcount: p.headcount, trained: p.trained, target: p.target })),
  };
}

function peopleColumns(t: TFunction) {
  return [
    { key: "personnelCode", header: t("columns.personnelCode") },
    { key: "fullName", header: t("columns.fullName") },
    { key: "email", header: t("columns.email") },
    { key: "agency", header: t("columns.agency") },
    { key: "province", header: t("columns.province") },
  ];
}

/** One record in a cell: course, day, where it came from, and its void if any. */
function recordCell(r: RecordWithProvenance, t: TFunction, lang: Lang): string {
  const date = (iso: string) => formatDate(iso, lang);
  const voided = r.voided ? ` — ${describeVoid(r.voided, t, date)}` : "";
  return `${r.courseCode} ${r.completedOn}: ${describeProvenance(r.provenance, t, date, lang)}${voided}`;
}

export function followUpTable(
  people: FollowUpPerson[],
  records: Map<string, RecordWithProvenance[]>,
  t: TFunction,
  lang: Lang,
): ExportTable {
  return {
    title: t("followUp.title"),
    columns: [
      ...peopleColumns(t),
      { key: "position", header: t("columns.position") },
      { key: "linked", header: t("columns.linked") },
      { key: "lastRemindedAt", header: t("operations:followUp.lastReminded") },
      { key: "reminderStatus", header: t("operations:followUp.reminderStatus") },
      // Why someone is still on the list: records that do not meet the rule, or were voided.
      { key: "records", header: t("columns.records") },
    ],
    rows: people.map((p) => ({
      ...p,
      linked: t(p.linked ? "linked.yes" : "linked.no"),
      reminderStatus: p.reminderStatus ? t(`operations:delivery.${p.reminderStatus}`) : null,
      records: (records.get(p.id) ?? []).map((r) => recordCell(r, t, lang)).join(" | "),
    })),
  };
}

/** Every training record in scope, one row each, with where it came from and whether it was voided. */
export function recordsTable(items: RecordListItem[], t: TFunction, lang: Lang): ExportTable {
  const date = (iso: string) => formatDate(iso, lang);
  return {
    title: t("export.records"),
    columns: [
      ...peopleColumns(t),
      { key: "courseCode", header: t("columns.courseCode") },
      { key: "completedOn", header: t("columns.completedOn") },
      { key: "mode", header: t("columns.mode") },
      { key: "source", header: t("columns.source") },
      { key: "detail", header: t("columns.sourceDetail") },
      { key: "status", header: t("columns.recordStatus") },
    ],
    rows: items.map((r) => ({
      ...r.person,
      courseCode: r.courseCode,
      completedOn: r.completedOn,
      mode: t(`mode.${r.mode}`),
      source: t(`provenance.${r.provenance.source}`),
      detail: describeProvenance(r.provenance, t, date, lang),
      status: r.voided ? describeVoid(r.voided, t, date) : t("provenance.valid"),
    })),
  };
}

export function rosterTable(people: RosterListItem[], t: TFunction): ExportTable {
  return {
    title: t("roster.title"),
    columns: [
      ...peopleColumns(t),
      { key: "groups", header: t("columns.groups") },
      { key: "linked", header: t("columns.linked") },
    ],
    rows: people.map((p) => ({ ...p, linked: t(p.linked ? "linked.yes" : "linked.no") })),
  };
}

function rejectsColumns(t: TFunction): ExportTable["columns"] {
  return [
    { key: "row", header: t("columns.row"), numeric: true },
    { key: "field", header: t("columns.field") },
    { key: "value", header: t("columns.value") },
    { key: "reason", header: t("columns.reason") },
  ];
}

const rejectRow = (r: Reject, t: TFunction) => ({
  row: r.row,
  field: r.field,
  value: r.value,
  reason: t(`reject.${r.reason}`, r.params ?? {}),
});

export function rejectsTable(rejects: Reject[], t: TFunction): ExportTable {
  return {
    title: t("importResult.rejectsHeading"),
    columns: rejectsColumns(t),
    rows: rejects.map((r) => rejectRow(r, t)),
  };
}

/** The rejects of an import as they are stored, a page at a time. */
export function streamedRejectsTable(pages: AsyncIterable<Reject[]>, t: TFunction): StreamedTable {
  async function* batches() {
    for await (const page of pages) yield page.map((r) => rejectRow(r, t));
  }
  return { title: t("importResult.rejectsHeading"), columns: rejectsColumns(t), batches: batches() };
}

export function breakdownOf(query: CoverageQuery, table: "provinces" | "agencies"): Exclude<Breakdown, "group"> {
  return table === "agencies" ? "agency" : query.era === "former" ? "former_province" : "province";
}

/** Builds a named table for the export route, scoped to the actor. */
export async function buildExportTable(
  name: ExportTableName,
  actor: Actor,
  query: CoverageQuery,
  t: TFunction,
  lang: Lang,
): Promise<ExportTable> {
  const filter = followUpFilter(query);
  switch (name) {
    case "groups":
      return groupsTable(await coverageAsOf(actor, query.day, "group"), t, lang);
    case "agencies":
      return breakdownTable(
        everyUnitLines(await coverageAsOf(actor, query.day, "agency", { groupCode: query.group }), [], null),
        "agency",
        t,
        lang,
      );
    case "provinces": {
      const by = breakdownOf(query, name);
      const groups = await loadGroups();
      const asked = groups.filter((g) => !query.group || g.code === query.group);
      const [rows, units] = await Promise.all([
        coverageAsOf(actor, query.day, by, { groupCode: query.group }, groups),
        provinceUnitsInScope(actor, query.era),
      ]);
      return breakdownTable(everyUnitLines(rows, asked, units), by, t, lang);
    }
    case "matrix": {
      const groups = await loadGroups();
      const [rows, units] = await Promise.all([
        coverageAsOf(actor, query.day, "province", {}, groups),
        provinceUnitsInScope(actor, "current"),
      ]);
      // An agency's coordinator: the provinces its people are in, as on the page.
      return matrixTable(rows, groups, units ?? [], t, lang);
    }
    case "monthly": {
      const group = (await groupChoice(query)).chosen?.code;
      return seriesTable(group ? await monthlySeries(actor, query.day, group, filter) : [], t);
    }
    case "follow-up": {
      const group = (await groupChoice(query)).chosen?.code;
      const { people } = group
        ? await untrainedPeople(actor, query.day, { ...filter, groupCode: group }, null)
        : { people: [] };
      return followUpTable(people, await recordsOf(people.map((p) => p.id)), t, lang);
    }
    case "records":
      return recordsTable(await recordsInScope(actor), t, lang);
    case "roster":
      return rosterTable((await listRoster(actor, { q: query.q, linked: query.linked }, null)).people, t);
  }
}

/** The units a follow-up list (and its export) is narrowed to. */
export function followUpFilter(query: CoverageQuery) {
  return { provinceId: query.province, formerProvinceId: query.former, agencyId: query.agency };
}

export const pageOf = (query: CoverageQuery) => ({ limit: PAGE_SIZE, offset: (query.page - 1) * PAGE_SIZE });
