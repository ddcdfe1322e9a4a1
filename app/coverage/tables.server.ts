import type { TFunction } from "i18next";
import { localized } from "~/i18n";
import { formatDate } from "~/utils/format";
import type { ExportTable, StreamedTable } from "./export.server";
import type { Reject } from "./imports.server";
import { PAGE_SIZE } from "./paging";
import type { CoverageQuery } from "./query";
import { coverageAsOf, loadGroups, monthlySeries, rowFigures, untrainedPeople, type Breakdown, type CoverageRow, type FollowUpPerson, type SeriesPoint } from "./report.server";
import { describeProvenance, describeVoid } from "./provenance";
import { recordsInScope, recordsOf, type RecordListItem, type RecordWithProvenance } from "./records.server";
import { listRoster, type RosterListItem } from "./roster.server";
import { groupChoice } from "./page.server";
import type { Actor } from "./scope.server";

// The tables the coverage pages show, as rows for CSV and XLSX. The export
// route fetches the same data as the page, through the same scoped functions.

export const EXPORT_TABLES = ["groups", "provinces", "agencies", "matrix", "monthly", "follow-up", "roster", "records"] as const;
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
    columns: [{ key: "code", header: t("columns.groupCode") }, { key: "group", header: t("columns.group") }, ...coverageColumns(t)],
    rows: rows.map((row) => ({ code: row.group.code, group: groupName(row, lang), ...coverageCells(row, t) })),
  };
}

export function breakdownTable(rows: CoverageRow[], by: Exclude<Breakdown, "group">, t: TFunction, lang: Lang): ExportTable {
  const unitHeader = t(by === "agency" ? "columns.agency" : by === "former_province" ? "columns.formerProvince" : "columns.province");
  return {
    title: unitHeader,
    columns: [{ key: "code", header: t("columns.groupCode") }, { key: "unit", header: unitHeader }, ...coverageColumns(t)],
    rows: rows.map((row) => ({
      code: row.group.code,
      unit: row.unit ? localized(lang, row.unit.nameVi, by === "agency" ? row.unit.nameEn : null) : "",
      ...coverageCells(row, t),
    })),
  };
}

/** Group × province: one row per province, trained / headcount / percent per group. */
export function matrixTable(rows: CoverageRow[], groupCodes: string[], t: TFunction): ExportTable {
  const units = new Map<string, { name: string; cells: Record<string, number | null> }>();
  for (const row of rows) {
    if (!row.unit) continue;
    const unit = units.get(row.unit.id) ?? { name: row.unit.nameVi, cells: {} };
    unit.cells[`${row.group.code}:trained`] = row.trained;
    unit.cells[`${row.group.code}:headcount`] = row.headcount;
    unit.cells[`${row.group.code}:percent`] = row.percent;
    units.set(row.unit.id, unit);
  }
  return {
    title: t("dashboard.matrixHeading"),
    columns: [
      { key: "unit", header: t("columns.province") },
      ...groupCodes.flatMap((code) => [
        { key: `${code}:trained`, header: `${code} — ${t("columns.trained")}`, numeric: true },
        { key: `${code}:headcount`, header: `${code} — ${t("columns.headcount")}`, numeric: true },
        { key: `${code}:percent`, header: `${code} — ${t("columns.percent")}`, numeric: true },
      ]),
    ],
    rows: [...units.values()].sort((a, b) => a.name.localeCompare(b.name, "vi")).map((u) => ({ unit: u.name, ...u.cells })),
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

export function followUpTable(people: FollowUpPerson[], records: Map<string, RecordWithProvenance[]>, t: TFunction, lang: Lang): ExportTable {
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
    columns: [...peopleColumns(t), { key: "groups", header: t("columns.groups") }, { key: "linked", header: t("columns.linked") }],
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

const rejectRow = (r: Reject, t: TFunction) => ({ row: r.row, field: r.field, value: r.value, reason: t(`reject.${r.reason}`, r.params ?? {}) });

export function rejectsTable(rejects: Reject[], t: TFunction): ExportTable {
  return { title: t("importResult.rejectsHeading"), columns: rejectsColumns(t), rows: rejects.map((r) => rejectRow(r, t)) };
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
export async function buildExportTable(name: ExportTableName, actor: Actor, query: CoverageQuery, t: TFunction, lang: Lang): Promise<ExportTable> {
  const filter = followUpFilter(query);
  switch (name) {
    case "groups":
      return groupsTable(await coverageAsOf(actor, query.day, "group"), t, lang);
    case "provinces":
    case "agencies": {
      const by = breakdownOf(query, name);
      return breakdownTable(await coverageAsOf(actor, query.day, by, { groupCode: query.group }), by, t, lang);
    }
    case "matrix": {
      const groups = await loadGroups();
      return matrixTable(await coverageAsOf(actor, query.day, "province"), groups.map((g) => g.code), t);
    }
    case "monthly": {
      const group = (await groupChoice(query)).chosen?.code;
      return seriesTable(group ? await monthlySeries(actor, query.day, group, filter) : [], t);
    }
    case "follow-up": {
      const group = (await groupChoice(query)).chosen?.code;
      const { people } = group ? await untrainedPeople(actor, query.day, { ...filter, groupCode: group }, null) : { people: [] };
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
